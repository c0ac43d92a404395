package io.semroute.extproc.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.config.ResilienceSettings;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.limits.BreakerListener;
import io.semroute.extproc.limits.CircuitBreakers;
import io.semroute.extproc.limits.FallbackPolicy;
import io.semroute.extproc.limits.FleetLimits;
import io.semroute.extproc.openai.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The upstream pass's rules for one attempt, on hand-made ext_proc messages. */
class AttemptPassTest {
  private static final String QWEN = TestConfigs.QWEN;
  private static final String LLAMA = TestConfigs.LLAMA;
  private static final AttemptPlan PLAN =
      new AttemptPlan(
          List.of(
              new AttemptPlan.Attempt(QWEN, true, "high"),
              new AttemptPlan.Attempt(LLAMA, false, null)));

  private static AttemptPass pass(int maxAttempts) {
    return new AttemptPass(
        TestConfigs.sample(),
        new FleetLimits(
            null,
            null,
            new CircuitBreakers(
                ResilienceSettings.CircuitBreaker.OFF, () -> 0L, BreakerListener.NONE),
            new FallbackPolicy(new ResilienceSettings.Fallback(true, maxAttempts, false))),
        null);
  }

  private static ProcessingRequest headers(String model, Map<String, String> headers) {
    return headers("/v1/chat/completions", model, headers);
  }

  private static ProcessingRequest headers(String path, String model, Map<String, String> headers) {
    HeaderMap.Builder map = HeaderMap.newBuilder();
    map.addHeaders(HeaderValue.newBuilder().setKey(":path").setRawValue(bytes(path)));
    headers.forEach(
        (k, v) -> map.addHeaders(HeaderValue.newBuilder().setKey(k).setRawValue(bytes(v))));
    ProcessingRequest.Builder r =
        ProcessingRequest.newBuilder().setRequestHeaders(HttpHeaders.newBuilder().setHeaders(map));
    if (model != null) {
      r.putAttributes(
          AttemptHeaders.ATTRIBUTES_KEY,
          Struct.newBuilder()
              .putFields(
                  AttemptHeaders.MODEL_ATTRIBUTE, Value.newBuilder().setStringValue(model).build())
              .build());
    }
    return r.build();
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private static Map<String, String> planned() {
    return Map.of(
        "x-selected-model",
        QWEN,
        AttemptHeaders.CHAIN,
        PLAN.chain(),
        AttemptHeaders.PLAN,
        PLAN.encode());
  }

  @Test
  void theFirstAttemptOnlyLosesThePlanHeaders() {
    AttemptPass pass = pass(2);
    ProcessingResponse reply = pass.requestHeaders(headers(QWEN, planned()));
    assertThat(reply.getRequestHeaders().getResponse().getHeaderMutation().getRemoveHeadersList())
        .containsExactlyInAnyOrder(AttemptHeaders.CHAIN, AttemptHeaders.PLAN);
    assertThat(
            pass.requestBody(HttpBody.newBuilder().setBody(bytes("{\"model\":\"x\"}")).build())
                .getRequestBody()
                .getResponse()
                .hasBodyMutation())
        .isFalse();
  }

  @Test
  void aLaterAttemptIsRewrittenForItsModelAndMarked() throws Exception {
    AttemptPass pass = pass(2);
    pass.requestHeaders(headers(LLAMA, planned()));
    byte[] body =
        ("{\"model\":\""
                + QWEN
                + "\",\"chat_template_kwargs\":{\"enable_thinking\":true},\"messages\":[]}")
            .getBytes();
    ProcessingResponse reply =
        pass.requestBody(HttpBody.newBuilder().setBody(ByteString.copyFrom(body)).build());
    byte[] rewritten =
        reply.getRequestBody().getResponse().getBodyMutation().getBody().toByteArray();
    JsonNode json = Json.MAPPER.readTree(rewritten);
    assertThat(json.path("model").asText()).isEqualTo(LLAMA);
    assertThat(json.has("chat_template_kwargs")).isFalse();
    assertThat(
            reply.getRequestBody().getResponse().getHeaderMutation().getSetHeaders(0).getHeader())
        .satisfies(
            h -> {
              assertThat(h.getKey()).isEqualTo("content-length");
              assertThat(h.getRawValue().toStringUtf8())
                  .isEqualTo(Integer.toString(rewritten.length));
            });
    ProcessingResponse answer =
        pass.responseHeaders(
            HttpHeaders.newBuilder()
                .setHeaders(
                    HeaderMap.newBuilder()
                        .addHeaders(
                            HeaderValue.newBuilder().setKey(":status").setRawValue(bytes("200"))))
                .build());
    Map<String, String> set = new HashMap<>();
    answer
        .getResponseHeaders()
        .getResponse()
        .getHeaderMutation()
        .getSetHeadersList()
        .forEach(h -> set.put(h.getHeader().getKey(), h.getHeader().getRawValue().toStringUtf8()));
    assertThat(set)
        .containsEntry(AttemptHeaders.FALLBACK_FROM, QWEN)
        .containsEntry(AttemptHeaders.ATTEMPT_MODEL, LLAMA);
  }

  /** Llama first, then qwen3-8b (a reasoning family) with reasoning on at high effort. */
  private static final AttemptPlan TO_QWEN =
      new AttemptPlan(
          List.of(
              new AttemptPlan.Attempt(LLAMA, false, null),
              new AttemptPlan.Attempt(QWEN, true, "high")));

  private static JsonNode nativeAttempt(String path, String body) throws Exception {
    AttemptPass pass = pass(2);
    pass.requestHeaders(
        headers(
            path,
            QWEN,
            Map.of(
                "x-selected-model",
                LLAMA,
                AttemptHeaders.CHAIN,
                TO_QWEN.chain(),
                AttemptHeaders.PLAN,
                TO_QWEN.encode())));
    ProcessingResponse reply = pass.requestBody(HttpBody.newBuilder().setBody(bytes(body)).build());
    return Json.MAPPER.readTree(
        reply.getRequestBody().getResponse().getBodyMutation().getBody().toByteArray());
  }

  @Test
  void aMessagesAttemptGetsItsModelsThinkingSwitch() throws Exception {
    JsonNode json =
        nativeAttempt(
            "/v1/messages",
            "{\"model\":\""
                + LLAMA
                + "\",\"max_tokens\":32000,\"thinking\":{\"type\":\"disabled\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(json.path("model").asText()).isEqualTo(QWEN);
    assertThat(json.at("/thinking/type").asText()).isEqualTo("enabled");
    assertThat(json.at("/thinking/budget_tokens").asInt()).isEqualTo(16384);
    assertThat(json.has("chat_template_kwargs")).as("still a Messages body").isFalse();
  }

  @Test
  void aResponsesAttemptGetsItsModelsReasoningEffort() throws Exception {
    JsonNode json =
        nativeAttempt(
            "/v1/responses",
            "{\"model\":\"" + LLAMA + "\",\"reasoning\":{\"effort\":\"low\"},\"input\":\"hi\"}");
    assertThat(json.path("model").asText()).isEqualTo(QWEN);
    assertThat(json.at("/reasoning/effort").asText()).isEqualTo("high");
  }

  @Test
  void aModelThePlanDoesNotListIsRefusedNotForwarded() {
    AttemptPlan qwenOnly =
        new AttemptPlan(
            List.of(
                new AttemptPlan.Attempt(QWEN, false, null),
                new AttemptPlan.Attempt("other", false, null)));
    ProcessingResponse reply =
        pass(2)
            .requestHeaders(
                headers(
                    LLAMA,
                    Map.of("x-selected-model", QWEN, AttemptHeaders.PLAN, qwenOnly.encode())));
    assertThat(reply.hasImmediateResponse()).isTrue();
    assertThat(reply.getImmediateResponse().getStatus().getCodeValue()).isEqualTo(503);
    assertThat(reply.getImmediateResponse().getBody().toStringUtf8())
        .contains("fallback_not_allowed")
        .contains(LLAMA);
  }

  @Test
  void anAttemptPastMaxAttemptsIsRefused() {
    ProcessingResponse reply = pass(1).requestHeaders(headers(LLAMA, planned()));
    assertThat(reply.hasImmediateResponse()).isTrue();
    assertThat(reply.getImmediateResponse().getBody().toStringUtf8()).contains("max_attempts 1");
  }

  @Test
  void withoutAPlanOnlyTheRoutedModelMayAnswer() {
    ProcessingResponse other =
        pass(2).requestHeaders(headers(LLAMA, Map.of("x-selected-model", QWEN)));
    assertThat(other.hasImmediateResponse()).isTrue();
    ProcessingResponse same =
        pass(2).requestHeaders(headers(QWEN, Map.of("x-selected-model", QWEN)));
    assertThat(same.hasImmediateResponse()).isFalse();
  }

  @Test
  void theModelIsReadFromTheWholeHostMetadataToo() {
    Struct metadata =
        Struct.newBuilder()
            .putFields(
                "filter_metadata",
                Value.newBuilder()
                    .setStructValue(
                        Struct.newBuilder()
                            .putFields(
                                "semroute",
                                Value.newBuilder()
                                    .setStructValue(
                                        Struct.newBuilder()
                                            .putFields(
                                                "model",
                                                Value.newBuilder().setStringValue(LLAMA).build()))
                                    .build()))
                    .build())
            .build();
    ProcessingRequest r =
        ProcessingRequest.newBuilder()
            .putAttributes(
                AttemptHeaders.ATTRIBUTES_KEY,
                Struct.newBuilder()
                    .putFields(
                        "xds.upstream_host_metadata",
                        Value.newBuilder().setStructValue(metadata).build())
                    .build())
            .build();
    assertThat(AttemptPass.endpointModel(r)).isEqualTo(LLAMA);
    assertThat(AttemptPass.endpointModel(ProcessingRequest.getDefaultInstance())).isNull();
  }

  @Test
  void aPlanSurvivesItsHeaderAndGarbageIsNoPlan() {
    assertThat(AttemptPlan.decode(PLAN.encode())).contains(PLAN);
    assertThat(AttemptPlan.decode("not base64 json!")).isEmpty();
    assertThat(AttemptPlan.decode(null)).isEmpty();
  }
}

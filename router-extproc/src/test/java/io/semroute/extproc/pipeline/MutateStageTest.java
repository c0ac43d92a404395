package io.semroute.extproc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.guard.PiiFindings;
import io.semroute.extproc.openai.Json;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** mutate, without sockets: the one {@code request_body} reply a routed request gets. */
class MutateStageTest {
  private static final MutateStage MUTATE =
      new MutateStage(new EndpointPicker(() -> new Random(7)));

  /** The request after parse and decide (keyword engine), then mutate's reply. */
  private static ProcessingResponse mutated(RouterConfig cfg, String body, PiiFindings pii) {
    RequestContext ctx = StageFixtures.chat(RouterSnapshot.keywordOnly(cfg), body);
    assertThat(new ParseStage().apply(ctx).answered()).isFalse();
    assertThat(new DecideStage().apply(ctx).answered()).isFalse();
    ctx.pii(pii);
    assertThat(MUTATE.apply(ctx).answered()).isFalse();
    return ctx.mutations().requestBodyReply();
  }

  private static ProcessingResponse mutated(String body) {
    return mutated(StageFixtures.config(), body, PiiFindings.NONE);
  }

  @Test
  void anAutoRequestIsRewrittenForItsModelWithAMatchingContentLength() throws Exception {
    ProcessingResponse reply = mutated(StageFixtures.body("auto", "the derivative of x^3"));
    String body = StageFixtures.bodyOf(reply);
    JsonNode json = Json.MAPPER.readTree(body);
    assertThat(json.path("model").asText()).isEqualTo(StageFixtures.QWEN);
    assertThat(json.path("chat_template_kwargs").path("enable_thinking").asBoolean()).isTrue();
    Map<String, String> headers = StageFixtures.headersSet(reply);
    assertThat(headers)
        .containsEntry(RoutingHeaders.SELECTED_MODEL, StageFixtures.QWEN)
        .containsEntry("content-length", Integer.toString(body.getBytes().length));
    assertThat(reply.getRequestBody().getResponse().getClearRouteCache()).isTrue();
  }

  @Test
  void aNamedModelKeepsTheClientsBodyUnlessAStreamNeedsItsUsage() throws Exception {
    String plain = StageFixtures.body(StageFixtures.LLAMA, "hello");
    ProcessingResponse unchanged = mutated(plain);
    assertThat(unchanged.getRequestBody().getResponse().hasBodyMutation()).isFalse();
    assertThat(StageFixtures.headersSet(unchanged))
        .containsEntry(RoutingHeaders.SELECTED_MODEL, StageFixtures.LLAMA)
        .containsEntry("content-length", Integer.toString(plain.length()));

    ProcessingResponse stream =
        mutated(
            "{\"model\":\""
                + StageFixtures.LLAMA
                + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    JsonNode json = Json.MAPPER.readTree(StageFixtures.bodyOf(stream));
    assertThat(json.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(json.path("model").asText()).isEqualTo(StageFixtures.LLAMA);

    ProcessingResponse clientChose =
        mutated(
            "{\"model\":\""
                + StageFixtures.LLAMA
                + "\",\"stream\":true,\"stream_options\":{\"include_usage\":false},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(clientChose.getRequestBody().getResponse().hasBodyMutation()).isFalse();
  }

  @Test
  void piiTypesFoundGoUpstreamAsAHeader() {
    PiiFindings found =
        PiiFindings.of(
            List.of(
                new PiiFindings.Located("/messages/0/content", 0, 1, "PHONE_NUMBER"),
                new PiiFindings.Located("/messages/0/content", 2, 3, "EMAIL_ADDRESS")));
    ProcessingResponse reply =
        mutated(StageFixtures.config(), StageFixtures.body(StageFixtures.LLAMA, "a b c"), found);
    assertThat(StageFixtures.headersSet(reply))
        .containsEntry(RoutingHeaders.VSR_PII_TYPES, "EMAIL_ADDRESS,PHONE_NUMBER");
  }

  @Test
  void endpointPickingNamesTheBackendInAHeaderAndTheLbMetadata() {
    ProcessingResponse reply =
        mutated(
            TestConfigs.sample(true),
            StageFixtures.body("auto", "the derivative of x^3"),
            PiiFindings.NONE);
    assertThat(StageFixtures.headersSet(reply))
        .containsEntry(RoutingHeaders.DESTINATION_ENDPOINT, "vllm-qwen:8000");
    assertThat(
            reply
                .getDynamicMetadata()
                .getFieldsOrThrow(RoutingHeaders.LB_NAMESPACE)
                .getStructValue()
                .getFieldsOrThrow(RoutingHeaders.DESTINATION_ENDPOINT)
                .getStringValue())
        .isEqualTo("vllm-qwen:8000");
  }
}

package io.semroute.extproc.e2e;

import static io.semroute.extproc.TestConfigs.LLAMA;
import static io.semroute.extproc.TestConfigs.QWEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest.RequestCase;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.pipeline.RequestSummary;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client → Envoy emulator → router → mock vLLM, the basic routing behaviours. */
class RouterEndToEndTest {
  private static RouterStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = new RouterStack(TestConfigs.sample());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static String chat(String model, String... userTurns) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    ArrayNode messages = body.putArray("messages");
    for (int i = 0; i < userTurns.length; i++) {
      if (i > 0) {
        messages.addObject().put("role", "assistant").put("content", "ok");
      }
      messages.addObject().put("role", "user").put("content", userTurns[i]);
    }
    return body.toString();
  }

  static Exchange post(String json) throws Exception {
    return stack.envoy.send(ClientRequest.postJson("/v1/chat/completions", json));
  }

  /** The header, body and content-length Envoy forwarded agree, and match what the mock saw. */
  static JsonNode assertConsistentUpstream(Exchange ex, String model) {
    Exchange.UpstreamRequest up = ex.upstream();
    assertThat(up).as("forwarded upstream").isNotNull();
    assertThat(up.header("x-selected-model")).isEqualTo(model);
    assertThat(up.headers().get("x-selected-model")).hasSize(1);
    assertThat(up.json().get("model").asText()).isEqualTo(model);
    assertThat(up.header("content-length")).isEqualTo(Integer.toString(up.body().length));
    JsonNode mock = ex.json().get("mock");
    assertThat(mock.get("received_model").asText()).isEqualTo(model);
    assertThat(mock.get("content_length").asText())
        .isEqualTo(Integer.toString(mock.get("body_bytes").asInt()));
    assertThat(ex.json().get("model").asText()).isEqualTo(model);
    return mock;
  }

  @Test
  void modelListIsAnsweredByTheRouter() throws Exception {
    long servedBefore = stack.qwen.served() + stack.llama.served();
    Exchange ex = stack.envoy.send(ClientRequest.get("/v1/models"));
    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.localReply()).isTrue();
    assertThat(ex.header("content-type")).isEqualTo("application/json");
    List<String> ids = ex.json().get("data").findValuesAsText("id");
    assertThat(ids).containsExactly("auto", QWEN, LLAMA);
    assertThat(stack.qwen.served() + stack.llama.served()).isEqualTo(servedBefore);
    assertThat(ex.trace()).hasSize(1);
  }

  @Test
  @SuppressWarnings("deprecation") // asserts the `append` field Envoy's ext_proc reads
  void autoMathPromptGoesToQwenWithThinkingOnAndSystemPrompt() throws Exception {
    Exchange ex = post(chat("auto", "What is the derivative of x^3 + 2x?"));
    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.upstream().cluster()).isEqualTo("vllm-qwen");
    assertThat(ex.header("x-mock-instance")).isEqualTo("vllm-qwen");
    JsonNode mock = assertConsistentUpstream(ex, QWEN);
    assertThat(mock.at("/chat_template_kwargs/enable_thinking").asBoolean(false)).isTrue();
    assertThat(mock.get("system_prompt").asText()).isEqualTo(TestConfigs.MATH_PROMPT);
    assertThat(ex.header("x-vsr-selected-model")).isEqualTo(QWEN);
    assertThat(ex.header("x-vsr-selected-category")).isEqualTo("math");
    assertThat(ex.header("x-vsr-selected-reasoning")).isEqualTo("on");

    // The routing header travels with overwrite semantics and the route cache is cleared in the
    // same reply as the header mutation (otherwise Envoy ignores the clear).
    CommonResponse body = ex.replyTo(RequestCase.REQUEST_BODY).getRequestBody().getResponse();
    assertThat(body.getClearRouteCache()).isTrue();
    HeaderValueOption selected =
        body.getHeaderMutation().getSetHeadersList().stream()
            .filter(h -> h.getHeader().getKey().equals("x-selected-model"))
            .findFirst()
            .orElseThrow();
    assertThat(selected.hasAppend() && !selected.getAppend().getValue()).isTrue();
    assertThat(selected.getHeader().getValue()).isEmpty();
    assertThat(selected.getHeader().getRawValue().toStringUtf8()).isEqualTo(QWEN);
  }

  @Test
  void autoBiologyPromptGoesToLlamaWithoutReasoningFields() throws Exception {
    Exchange ex = post(chat("auto", "Explain how photosynthesis converts light into sugar."));
    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.upstream().cluster()).isEqualTo("vllm-llama");
    JsonNode mock = assertConsistentUpstream(ex, LLAMA);
    assertThat(mock.has("chat_template_kwargs")).isFalse();
    assertThat(mock.has("reasoning_effort")).isFalse();
    assertThat(ex.header("x-vsr-selected-category")).isEqualTo("biology");
    assertThat(ex.header("x-vsr-selected-reasoning")).isEqualTo("off");
  }

  @Test
  void promptWithoutSignalGoesToTheDefaultModel() throws Exception {
    Exchange ex = post(chat("auto", "Write a haiku about autumn leaves."));
    assertThat(ex.status()).isEqualTo(200);
    assertConsistentUpstream(ex, LLAMA);
    assertThat(ex.header("x-vsr-selected-category")).isEqualTo("default");
  }

  @Test
  void weakSignalBelowThresholdGoesToTheDefaultModel() throws Exception {
    // "energy" scores 0.4 for physics, under the 0.6 threshold.
    Exchange ex = post(chat("auto", "How much energy does a kettle use?"));
    assertConsistentUpstream(ex, LLAMA);
  }

  @Test
  void reasoningIsSwitchedOffExplicitlyWhenTheCategorySaysSo() throws Exception {
    // physics → qwen3 without reasoning: the client's enable_thinking=true must become false.
    ObjectNode body =
        (ObjectNode) Json.MAPPER.readTree(chat("auto", "What is quantum tunnelling?"));
    body.putObject("chat_template_kwargs").put("enable_thinking", true).put("other", 1);
    Exchange ex = post(body.toString());
    JsonNode mock = assertConsistentUpstream(ex, QWEN);
    assertThat(mock.at("/chat_template_kwargs/enable_thinking").isBoolean()).isTrue();
    assertThat(mock.at("/chat_template_kwargs/enable_thinking").asBoolean()).isFalse();
    assertThat(mock.at("/chat_template_kwargs/other").asInt()).isEqualTo(1);
    assertThat(mock.get("system_prompt").asText()).isEqualTo("You are a physicist.");
  }

  @Test
  void explicitModelPassesThroughUnchanged() throws Exception {
    String json =
        "{\"model\":\""
            + QWEN
            + "\",\"temperature\":0.10,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about photosynthesis\"}]}";
    Exchange ex =
        stack.envoy.send(
            ClientRequest.postJson("/v1/chat/completions", json)
                .withHeader("x-selected-model", LLAMA));
    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.upstream().cluster()).isEqualTo("vllm-qwen");
    assertThat(new String(ex.upstream().body(), StandardCharsets.UTF_8)).isEqualTo(json);
    assertConsistentUpstream(ex, QWEN);
    assertThat(ex.header("x-vsr-selected-model")).isEqualTo(QWEN);
    ProcessingResponse bodyReply = ex.replyTo(RequestCase.REQUEST_BODY);
    assertThat(bodyReply.getRequestBody().getResponse().hasBodyMutation()).isFalse();
  }

  @Test
  void aClientSentRoutingHeaderNeverChoosesTheRoute() throws Exception {
    Exchange ex =
        stack.envoy.send(
            ClientRequest.postJson("/v1/chat/completions", chat("auto", "Integral of sin x?"))
                .withHeader("x-selected-model", LLAMA));
    assertConsistentUpstream(ex, QWEN);

    // On a path the router does not route, the header is removed so the default route applies.
    Exchange other =
        stack.envoy.send(
            ClientRequest.postJson("/v1/embeddings", "{\"input\":\"hi\"}")
                .withHeader("x-selected-model", QWEN));
    assertThat(other.upstream().cluster()).isEqualTo("vllm-llama");
    assertThat(other.upstream().header("x-selected-model")).isNull();
  }

  @Test
  void pathsTheRouterDoesNotRoutePassUntouched() throws Exception {
    String json = "{\"model\":\"auto\",\"input\":\"derivative\"}";
    Exchange ex = stack.envoy.send(ClientRequest.postJson("/v1/embeddings", json));
    assertThat(ex.upstream().route()).isEqualTo("default");
    assertThat(new String(ex.upstream().body(), StandardCharsets.UTF_8)).isEqualTo(json);
    assertThat(ex.upstream().header("x-selected-model")).isNull();
    // The mock echoes unknown paths: it received the client's bytes.
    assertThat(ex.json().get("body").asText()).isEqualTo(json);
    assertThat(ex.json().get("path").asText()).isEqualTo("/v1/embeddings");
    for (Exchange.Step step : ex.trace()) {
      ProcessingResponse r = step.reply();
      CommonResponse common =
          switch (r.getResponseCase()) {
            case REQUEST_HEADERS -> r.getRequestHeaders().getResponse();
            case REQUEST_BODY -> r.getRequestBody().getResponse();
            case RESPONSE_HEADERS -> r.getResponseHeaders().getResponse();
            case RESPONSE_BODY -> r.getResponseBody().getResponse();
            default -> throw new AssertionError("unexpected " + r.getResponseCase());
          };
      assertThat(common)
          .as("reply to " + step.sent())
          .isEqualTo(CommonResponse.getDefaultInstance());
    }

    // The router asks Envoy not to hold back bodies it has no use for.
    assertThat(
            ex.replyTo(RequestCase.RESPONSE_HEADERS).getModeOverride().getResponseBodyMode().name())
        .isEqualTo("NONE");
    assertThat(ex.trace())
        .extracting(Exchange.Step::sent)
        .doesNotContain(RequestCase.RESPONSE_BODY);

    Exchange health = stack.envoy.send(ClientRequest.get("/health"));
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.header("x-mock-instance")).isEqualTo("vllm-llama");
  }

  @Test
  void badInputGetsOpenAiJsonErrors() throws Exception {
    assertError(post("{\"model\":\"auto\",\"messages\":["), 400, null);
    assertError(post(chat("gpt-99", "hello")), 400, "model");
    assertError(post("{\"model\":\"auto\"}"), 400, "messages");
    assertError(post("{\"model\":\"auto\",\"messages\":\"hello\"}"), 400, "messages");
    assertError(post("{\"messages\":[]}"), 400, "model");
    assertError(post("[1,2]"), 400, null);
    assertError(
        stack.envoy.send(new ClientRequest("POST", "/v1/chat/completions", Map.of(), new byte[0])),
        400,
        null);
    assertThat(post(chat("gpt-99", "x")).json().at("/error/code").asText())
        .isEqualTo("model_not_found");
  }

  private static void assertError(Exchange ex, int status, String param) {
    assertThat(ex.status()).isEqualTo(status);
    assertThat(ex.localReply()).isTrue();
    assertThat(ex.header("content-type")).isEqualTo("application/json");
    JsonNode error = ex.json().get("error");
    assertThat(error.get("message").asText()).isNotBlank();
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    if (param != null) {
      assertThat(error.get("param").asText()).isEqualTo(param);
    }
  }

  @Test
  void sseResponsesAreSwitchedToStreamedAndKeepFlowing() throws Exception {
    ObjectNode body = (ObjectNode) Json.MAPPER.readTree(chat("auto", "Is 91 a prime number?"));
    body.put("stream", true);
    Exchange ex =
        stack.envoy.send(
            ClientRequest.postJson("/v1/chat/completions", body.toString())
                .withHeader("x-request-id", "sse-1"));
    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.header("content-type")).startsWith("text/event-stream");
    ProcessingResponse headersReply = ex.replyTo(RequestCase.RESPONSE_HEADERS);
    assertThat(headersReply.getModeOverride().getResponseBodyMode().name()).isEqualTo("STREAMED");

    List<Exchange.Step> bodySteps =
        ex.trace().stream().filter(s -> s.sent() == RequestCase.RESPONSE_BODY).toList();
    // STREAMED: the body went through the router piece by piece, not as one buffered message.
    assertThat(bodySteps.size()).isGreaterThan(1);
    assertThat(bodySteps.get(0).request().getResponseBody().getEndOfStream()).isFalse();
    assertThat(bodySteps.get(bodySteps.size() - 1).request().getResponseBody().getEndOfStream())
        .isTrue();

    String text = ex.bodyText();
    assertThat(text).contains("token0 ", "token7 ").endsWith("data: [DONE]\n\n");
    assertThat(text).contains("\"model\":\"" + QWEN + "\"");

    RequestSummary record = stack.recordFor("sse-1");
    assertThat(record.responseStreamed()).isTrue();
    assertThat(record.usage()).isNotNull();
    assertThat(record.usage().completionTokens()).isEqualTo(8);
  }

  @Test
  void usageOfJsonResponsesIsRecorded() throws Exception {
    Exchange ex =
        stack.envoy.send(
            ClientRequest.postJson("/v1/chat/completions", chat("auto", "Define mitochondria"))
                .withHeader("x-request-id", "usage-1"));
    JsonNode usage = ex.json().get("usage");
    RequestSummary record = stack.recordFor("usage-1");
    assertThat(record.usage().promptTokens()).isEqualTo(usage.get("prompt_tokens").asLong());
    assertThat(record.usage().totalTokens()).isEqualTo(usage.get("total_tokens").asLong());
    assertThat(record.decision().category()).isEqualTo("biology");
    assertThat(record.responseStatus()).isEqualTo(200);
  }
}

package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.semroute.config.Backend;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.openai.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Messages and Responses through the Envoy emulator on deploy/envoy/envoy.yaml, the router over
 * real gRPC and the mock vLLMs: the config says vllm-qwen serves Chat Completions only, so a
 * request routed there is translated ({@code :path} rewritten, the SSE answer replaced chunk by
 * chunk in STREAMED mode), while vllm-llama gets the client's own API.
 */
class AgentApiEndToEndTest {
  private static final JsonMapper SDK = ObjectMappers.jsonMapper();
  static RouterStack stack;

  @BeforeAll
  static void start() throws Exception {
    RouterConfig sample = TestConfigs.sample();
    List<Backend> backends =
        sample.backends().stream()
            .map(
                b ->
                    b.name().equals("vllm-qwen")
                        ? new Backend(
                            b.name(),
                            b.host(),
                            b.port(),
                            b.models(),
                            b.weight(),
                            List.of("chat_completions", "completions"))
                        : b)
            .toList();
    stack =
        new RouterStack(
            new RouterConfig(
                sample.source(),
                sample.listeners(),
                backends,
                sample.models(),
                sample.reasoningFamilies(),
                sample.categories(),
                sample.defaultModel(),
                sample.autoModelNames(),
                sample.routing(),
                sample.classifier()));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static Exchange post(String path, String json, String requestId) throws Exception {
    return stack.envoy.send(
        ClientRequest.postJson(path, json).withHeader("x-request-id", requestId));
  }

  @Test
  void aStreamedMessagesRequestIsTranslatedForAChatOnlyBackendEventByEvent() throws Exception {
    Exchange ex =
        post(
            "/v1/messages",
            """
            {"model":"auto","max_tokens":300,"stream":true,
             "messages":[{"role":"user","content":"What is the derivative of x^3?"}]}""",
            "agent-sse");
    assertThat(ex.status()).isEqualTo(200);
    Exchange.UpstreamRequest up = ex.upstream();
    assertThat(up.header(":path")).isEqualTo("/v1/chat/completions");
    assertThat(up.endpoint()).isEqualTo("vllm-qwen:8000");
    JsonNode sent = up.json();
    assertThat(sent.get("model").asText()).isEqualTo(TestConfigs.QWEN);
    assertThat(sent.at("/stream_options/include_usage").asBoolean()).isTrue();
    assertThat(sent.at("/chat_template_kwargs/enable_thinking").asBoolean()).isTrue();
    assertThat(ex.header("x-vsr-upstream-api")).isEqualTo("chat_completions");
    assertThat(ex.bodyChunks().size()).as("released as it streamed").isGreaterThan(2);

    MessageAccumulator acc = MessageAccumulator.create();
    for (String line : ex.bodyText().split("\n")) {
      if (line.startsWith("data: ")) {
        acc.accumulate(SDK.readValue(line.substring(6), RawMessageStreamEvent.class).validate());
      }
    }
    Message m = acc.message().validate();
    assertThat(m.model().asString()).isEqualTo(TestConfigs.QWEN);
    assertThat(m.content().get(0).asText().text())
        .isEqualTo("token0 token1 token2 token3 token4 token5 token6 token7 ");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(stack.recordFor("agent-sse").usage().completionTokens())
        .as("usage read from the chat chunks before translation")
        .isEqualTo(8);
  }

  @Test
  void aJsonMessagesAnswerIsTranslatedWhole() throws Exception {
    Exchange ex =
        post(
            "/v1/messages",
            """
            {"model":"auto","max_tokens":300,
             "messages":[{"role":"user","content":"Find the integral of x^2"}]}""",
            "agent-json");
    assertThat(ex.status()).isEqualTo(200);
    Message m = SDK.readValue(ex.body(), Message.class).validate();
    assertThat(m.content().get(0).asText().text())
        .isEqualTo("mock answer from vllm-qwen serving " + TestConfigs.QWEN);
    assertThat(ex.header("content-length"))
        .as("the client's length is the translated body's")
        .isIn(null, Integer.toString(ex.body().length));
  }

  @Test
  void aResponsesRequestForABackendServingItKeepsItsPathAndShape() throws Exception {
    Exchange ex =
        post(
            "/v1/responses",
            "{\"model\":\"auto\",\"input\":\"How does photosynthesis work in plants?\"}",
            "agent-native");
    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.upstream().header(":path")).isEqualTo("/v1/responses");
    assertThat(ex.upstream().json().get("model").asText()).isEqualTo(TestConfigs.LLAMA);
    JsonNode response = Json.MAPPER.readTree(new String(ex.body(), StandardCharsets.UTF_8));
    assertThat(response.get("object").asText()).isEqualTo("response");
    assertThat(response.at("/mock/path").asText()).isEqualTo("/v1/responses");
    assertThat(ex.header("x-vsr-upstream-api")).isEqualTo("responses");
  }
}

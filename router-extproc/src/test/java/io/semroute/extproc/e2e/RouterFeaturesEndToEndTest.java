package io.semroute.extproc.e2e;

import static io.semroute.extproc.TestConfigs.LLAMA;
import static io.semroute.extproc.TestConfigs.QWEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest.RequestCase;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.Exchange;
import org.junit.jupiter.api.Test;

/** Multi-turn, content parts, completions, endpoint picking — through the emulated Envoy. */
class RouterFeaturesEndToEndTest {

  @Test
  void multiTurnFollowUpsStayOnTopicAndTopicChangesMove() throws Exception {
    try (RouterStack stack = new RouterStack(TestConfigs.sample())) {
      String followUp =
          RouterEndToEndTest.chat(
              "auto",
              "What is the integral of 1/x?",
              "Thanks. Could you go over the last step once more?");
      RouterEndToEndTest.assertConsistentUpstream(
          stack.envoy.send(ClientRequest.postJson("/v1/chat/completions", followUp)), QWEN);

      String change =
          RouterEndToEndTest.chat(
              "auto", "What is the integral of 1/x?", "New topic: what do mitochondria do?");
      RouterEndToEndTest.assertConsistentUpstream(
          stack.envoy.send(ClientRequest.postJson("/v1/chat/completions", change)), LLAMA);
    }
  }

  @Test
  void contentPartArraysAreClassified() throws Exception {
    try (RouterStack stack = new RouterStack(TestConfigs.sample())) {
      String json =
          "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":["
              + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}},"
              + "{\"type\":\"text\",\"text\":\"Find the derivative of the curve in the picture.\"}]}]}";
      Exchange ex = stack.envoy.send(ClientRequest.postJson("/v1/chat/completions", json));
      RouterEndToEndTest.assertConsistentUpstream(ex, QWEN);
      assertThat(ex.upstream().json().at("/messages/1/content/1/text").asText())
          .contains("derivative");
    }
  }

  @Test
  void completionsAreRoutedOnTheirPrompt() throws Exception {
    try (RouterStack stack = new RouterStack(TestConfigs.sample())) {
      Exchange ex =
          stack.envoy.send(
              ClientRequest.postJson(
                  "/v1/completions",
                  "{\"model\":\"auto\",\"prompt\":\"The derivative of x^2 is\",\"max_tokens\":5}"));
      assertThat(ex.status()).isEqualTo(200);
      assertThat(ex.upstream().header("x-selected-model")).isEqualTo(QWEN);
      assertThat(ex.json().get("object").asText()).isEqualTo("text_completion");
      assertThat(ex.json().at("/mock/chat_template_kwargs/enable_thinking").asBoolean(false))
          .isTrue();
      assertThat(ex.json().at("/mock/system_prompt").isMissingNode())
          .as("no messages to put it in")
          .isTrue();
    }
  }

  @Test
  void endpointPickingSetsTheHeaderAndEnvoyLbMetadata() throws Exception {
    try (RouterStack stack = new RouterStack(TestConfigs.sample(true))) {
      Exchange ex =
          stack.envoy.send(
              ClientRequest.postJson(
                  "/v1/chat/completions", RouterEndToEndTest.chat("auto", "derivative of e^x")));
      RouterEndToEndTest.assertConsistentUpstream(ex, QWEN);
      assertThat(ex.upstream().header("x-gateway-destination-endpoint"))
          .isEqualTo("vllm-qwen:8000");
      ProcessingResponse reply = ex.replyTo(RequestCase.REQUEST_BODY);
      Struct lb = reply.getDynamicMetadata().getFieldsOrThrow("envoy.lb").getStructValue();
      assertThat(lb.getFieldsOrThrow("x-gateway-destination-endpoint").getStringValue())
          .isEqualTo("vllm-qwen:8000");

      // A client cannot pick the endpoint either.
      Exchange spoofed =
          stack.envoy.send(
              ClientRequest.postJson(
                      "/v1/chat/completions", RouterEndToEndTest.chat("auto", "hello"))
                  .withHeader("x-gateway-destination-endpoint", "10.0.0.1:1"));
      assertThat(spoofed.upstream().header("x-gateway-destination-endpoint"))
          .isEqualTo("vllm-llama:8000");
    }
  }
}

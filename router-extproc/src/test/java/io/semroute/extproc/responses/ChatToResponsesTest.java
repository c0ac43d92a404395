package io.semroute.extproc.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.Fixtures;
import io.semroute.extproc.openai.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Recorded vLLM answers translated to the Responses API, compared byte for byte. */
class ChatToResponsesTest {
  private static final String SIMPLE = "responses/request-simple.json";
  private static final String TOOL_LOOP = "responses/request-tool-loop.json";

  @ParameterizedTest
  @ValueSource(strings = {"chat-reasoning", "chat-tool-calls", "chat-length"})
  void jsonAnswersMatchTheRecordedTranslation(String name) throws Exception {
    byte[] out =
        ChatToResponse.translate(Fixtures.json(SIMPLE), Fixtures.bytes("vllm/" + name + ".json"));
    assertThat(new String(out, StandardCharsets.UTF_8))
        .isEqualTo(Fixtures.text("responses/" + name + ".response.json"));
  }

  @Test
  void statusUsageAndFunctionCallsAreMapped() throws Exception {
    JsonNode length =
        Json.MAPPER.readTree(
            ChatToResponse.translate(
                Fixtures.json(SIMPLE), Fixtures.bytes("vllm/chat-length.json")));
    assertThat(length.get("status").asText()).isEqualTo("incomplete");
    assertThat(length.at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
    JsonNode tools =
        Json.MAPPER.readTree(
            ChatToResponse.translate(
                Fixtures.json(SIMPLE), Fixtures.bytes("vllm/chat-tool-calls.json")));
    assertThat(tools.get("status").asText()).isEqualTo("completed");
    assertThat(tools.at("/output/0/call_id").asText()).isEqualTo("chatcmpl-tool-7c1f0e9d8b6a4c2e");
    assertThat(tools.at("/output/0/arguments").asText())
        .isEqualTo("{\"city\": \"Paris\", \"unit\": \"celsius\"}");
    assertThat(tools.at("/usage/input_tokens_details/cached_tokens").asLong()).isEqualTo(256);
    assertThat(tools.at("/usage/total_tokens").asLong()).isEqualTo(371);
    assertThat(tools.get("instructions").asText()).isEqualTo("Show the result only.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat-stream-reasoning", "chat-stream-tool-calls"})
  void streamsMatchTheRecordedTranslationHoweverTheyAreCut(String name) {
    ObjectNode request = Fixtures.json(TOOL_LOOP);
    byte[] in = Fixtures.bytes("vllm/" + name + ".sse");
    String expected = Fixtures.text("responses/" + name + ".responses.sse");
    assertThat(
            new String(new ChatToResponsesStream(request).accept(in, true), StandardCharsets.UTF_8))
        .isEqualTo(expected);
    for (int size : new int[] {1, 2, 5, 13, 100, 4096}) {
      byte[] out = Fixtures.feed(new ChatToResponsesStream(request), in, size);
      assertThat(new String(out, StandardCharsets.UTF_8))
          .as("chunks of %d", size)
          .isEqualTo(expected);
    }
    for (int at = 0; at <= in.length; at++) {
      byte[] out = Fixtures.feedSplit(new ChatToResponsesStream(request), in, at);
      assertThat(new String(out, StandardCharsets.UTF_8)).as("cut at %d", at).isEqualTo(expected);
    }
  }

  @Test
  void sequenceNumbersCountEveryEventFromZero() throws Exception {
    byte[] out =
        new ChatToResponsesStream(Fixtures.json(TOOL_LOOP))
            .accept(Fixtures.bytes("vllm/chat-stream-tool-calls.sse"), true);
    List<Fixtures.Event> events = Fixtures.events(out);
    for (int i = 0; i < events.size(); i++) {
      JsonNode data = Json.MAPPER.readTree(events.get(i).data());
      assertThat(data.get("sequence_number").asInt()).isEqualTo(i);
      assertThat(data.get("type").asText()).isEqualTo(events.get(i).name());
    }
  }

  @Test
  void aCutStreamEndsWithResponseFailed() throws Exception {
    String cut =
        "data: {\"id\":\"chatcmpl-1\",\"created\":5,\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"Hel\"}}]}\n\n";
    ChatToResponsesStream t = new ChatToResponsesStream(Fixtures.json(SIMPLE));
    List<Fixtures.Event> events =
        Fixtures.events(t.accept(cut.getBytes(StandardCharsets.UTF_8), true));
    Fixtures.Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("response.failed");
    JsonNode response = Json.MAPPER.readTree(last.data()).get("response");
    assertThat(response.get("status").asText()).isEqualTo("failed");
    assertThat(response.at("/error/code").asText()).isEqualTo("server_error");
    assertThat(response.at("/error/message").asText())
        .isEqualTo("the backend's stream ended before the answer was complete");
    assertThat(t.response().get("status").asText()).isEqualTo("failed");
  }

  @Test
  void anErrorBeforeAnyChunkIsTheStreamsErrorEvent() throws Exception {
    String sse = "data: {\"error\":{\"message\":\"overloaded\",\"code\":503}}\n\n";
    List<Fixtures.Event> events =
        Fixtures.events(
            new ChatToResponsesStream(Fixtures.json(SIMPLE))
                .accept(sse.getBytes(StandardCharsets.UTF_8), true));
    assertThat(events).hasSize(1);
    assertThat(events.get(0).name()).isEqualTo("error");
    JsonNode error = Json.MAPPER.readTree(events.get(0).data());
    assertThat(error.get("message").asText()).isEqualTo("overloaded");
    assertThat(error.get("sequence_number").asInt()).isZero();
  }
}

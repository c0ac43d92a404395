package io.semroute.extproc.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.clientapi.Fixtures;
import io.semroute.extproc.clientapi.UnreadableAnswerException;
import io.semroute.extproc.openai.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Recorded vLLM answers translated to the Messages API, compared byte for byte. */
class ChatToMessagesTest {
  @ParameterizedTest
  @ValueSource(strings = {"chat-reasoning", "chat-tool-calls", "chat-length"})
  void jsonAnswersMatchTheRecordedTranslation(String name) throws Exception {
    byte[] out = ChatToMessage.translate(Fixtures.bytes("vllm/" + name + ".json"));
    assertThat(new String(out, StandardCharsets.UTF_8))
        .isEqualTo(Fixtures.text("messages/" + name + ".message.json"));
  }

  @Test
  void toolCallsKeepTheirIdsAndArgumentsAndCacheReadsAreCountedApart() throws Exception {
    JsonNode m =
        Json.MAPPER.readTree(ChatToMessage.translate(Fixtures.bytes("vllm/chat-tool-calls.json")));
    assertThat(m.at("/content/0/id").asText()).isEqualTo("chatcmpl-tool-7c1f0e9d8b6a4c2e");
    assertThat(m.at("/content/1/input").toString())
        .isEqualTo("{\"city\":\"Tokyo\",\"unit\":\"celsius\"}");
    assertThat(m.get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(m.at("/usage/input_tokens").asLong()).isEqualTo(312 - 256);
    assertThat(m.at("/usage/cache_read_input_tokens").asLong()).isEqualTo(256);
  }

  @Test
  void aMatchedStopStringAndAContentFilterMapToTheirStopReasons() throws Exception {
    JsonNode stop =
        Json.MAPPER.readTree(
            ChatToMessage.translate(
                chat("{\"role\":\"assistant\",\"content\":\"a\"}", "\"stop\"", "\"END\"")));
    assertThat(stop.get("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(stop.get("stop_sequence").asText()).isEqualTo("END");
    JsonNode filtered =
        Json.MAPPER.readTree(
            ChatToMessage.translate(
                chat("{\"role\":\"assistant\",\"content\":\"no\"}", "\"content_filter\"", "null")));
    assertThat(filtered.get("stop_reason").asText()).isEqualTo("refusal");
    JsonNode refusal =
        Json.MAPPER.readTree(
            ChatToMessage.translate(
                chat(
                    "{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't\"}",
                    "\"stop\"",
                    "null")));
    assertThat(refusal.get("stop_reason").asText()).isEqualTo("refusal");
    assertThat(refusal.at("/content/0/text").asText()).isEqualTo("I can't");
  }

  @Test
  void argumentsThatAreNotAnObjectAreKeptWhole() throws Exception {
    JsonNode m =
        Json.MAPPER.readTree(
            ChatToMessage.translate(
                chat(
                    "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"t\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{oops\"}}]}",
                    "\"tool_calls\"",
                    "null")));
    assertThat(m.at("/content/0/input").toString()).isEqualTo("{\"arguments\":\"{oops\"}");
  }

  @Test
  void anAnswerThatIsNotACompletionIsUnreadable() {
    assertThatThrownBy(() -> ChatToMessage.translate("<html>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UnreadableAnswerException.class)
        .hasMessage("the backend's answer is not JSON");
    assertThatThrownBy(
            () -> ChatToMessage.translate("{\"choices\":[]}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UnreadableAnswerException.class)
        .hasMessage("the backend's answer has no choice with a message");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat-stream-reasoning", "chat-stream-tool-calls"})
  void streamsMatchTheRecordedTranslationHoweverTheyAreCut(String name) {
    byte[] in = Fixtures.bytes("vllm/" + name + ".sse");
    String expected = Fixtures.text("messages/" + name + ".messages.sse");
    assertThat(new String(new ChatToMessagesStream().accept(in, true), StandardCharsets.UTF_8))
        .isEqualTo(expected);
    for (int size : new int[] {1, 2, 5, 13, 100, 4096}) {
      byte[] out = Fixtures.feed(new ChatToMessagesStream(), in, size);
      assertThat(new String(out, StandardCharsets.UTF_8))
          .as("chunks of %d", size)
          .isEqualTo(expected);
    }
    for (int at = 0; at <= in.length; at++) {
      byte[] out = Fixtures.feedSplit(new ChatToMessagesStream(), in, at);
      assertThat(new String(out, StandardCharsets.UTF_8)).as("cut at %d", at).isEqualTo(expected);
    }
  }

  @Test
  void eachChunkYieldsItsEventsAsSoonAsItsLineIsComplete() {
    ChatToMessagesStream t = new ChatToMessagesStream();
    String first =
        "data: {\"id\":\"chatcmpl-1\",\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n";
    assertThat(names(t.accept(first.substring(0, 30).getBytes(StandardCharsets.UTF_8), false)))
        .isEmpty();
    assertThat(names(t.accept(first.substring(30).getBytes(StandardCharsets.UTF_8), false)))
        .containsExactly("message_start");
    String text =
        "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n";
    assertThat(names(t.accept(text.getBytes(StandardCharsets.UTF_8), false)))
        .containsExactly("content_block_start", "content_block_delta");
  }

  @Test
  void aCutStreamEndsWithAnErrorEvent() throws Exception {
    String cut =
        "data: {\"id\":\"chatcmpl-1\",\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"Hel\"}}]}\n\n";
    byte[] out = new ChatToMessagesStream().accept(cut.getBytes(StandardCharsets.UTF_8), true);
    List<Fixtures.Event> events = Fixtures.events(out);
    assertThat(events.stream().map(Fixtures.Event::name))
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "error");
    JsonNode error = Json.MAPPER.readTree(events.get(4).data());
    assertThat(error.at("/error/type").asText()).isEqualTo("api_error");
    assertThat(error.at("/error/message").asText())
        .isEqualTo("the backend's stream ended before the answer was complete");
  }

  @Test
  void aBackendErrorInTheStreamBecomesTheErrorEventAndNothingFollows() throws Exception {
    String sse =
        "data: {\"id\":\"chatcmpl-1\",\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"a\"}}]}\n\n"
            + "data: {\"error\":{\"message\":\"engine died\",\"type\":\"InternalServerError\","
            + "\"code\":500}}\n\n"
            + "data: [DONE]\n\n";
    List<Fixtures.Event> events =
        Fixtures.events(
            Fixtures.feed(new ChatToMessagesStream(), sse.getBytes(StandardCharsets.UTF_8), 9));
    assertThat(events.get(events.size() - 1).name()).isEqualTo("error");
    assertThat(
            Json.MAPPER
                .readTree(events.get(events.size() - 1).data())
                .at("/error/message")
                .asText())
        .isEqualTo("engine died");
    assertThat(events.stream().map(Fixtures.Event::name)).doesNotContain("message_stop");
  }

  private static List<String> names(byte[] sse) {
    return Fixtures.events(sse).stream().map(Fixtures.Event::name).toList();
  }

  private static byte[] chat(String message, String finish, String stopReason) {
    return ("{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"message\":"
            + message
            + ",\"finish_reason\":"
            + finish
            + ",\"stop_reason\":"
            + stopReason
            + "}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}

package io.semroute.extproc.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.Fixtures;
import io.semroute.extproc.clientapi.TranslatedRequest;
import io.semroute.extproc.openai.Json;
import org.junit.jupiter.api.Test;

/**
 * A tool loop through the translation both ways: the backend's tool calls reach the client as
 * {@code tool_use} blocks, and the client's next request (that message, then its {@code
 * tool_result}s) reaches the backend as the same tool calls followed by {@code tool} messages with
 * the same ids.
 */
class MessagesRoundTripTest {
  @Test
  void toolCallsComeBackToTheBackendUnchanged() throws Exception {
    ObjectNode original = Fixtures.json("vllm/chat-tool-calls.json");
    JsonNode answer =
        Json.MAPPER.readTree(ChatToMessage.translate(Fixtures.bytes("vllm/chat-tool-calls.json")));

    ObjectNode next = Json.MAPPER.createObjectNode();
    next.put("model", "auto");
    next.put("max_tokens", 512);
    ArrayNode messages = next.putArray("messages");
    messages.addObject().put("role", "user").put("content", "Weather in Paris and Tokyo?");
    ObjectNode assistant = messages.addObject();
    assistant.put("role", "assistant");
    assistant.set("content", answer.get("content"));
    ObjectNode results = messages.addObject();
    results.put("role", "user");
    ArrayNode blocks = results.putArray("content");
    for (JsonNode block : answer.get("content")) {
      ObjectNode result = blocks.addObject();
      result.put("type", "tool_result");
      result.put("tool_use_id", block.get("id").asText());
      result.put("content", "sunny");
    }

    TranslatedRequest back =
        MessagesToChat.translate(MessagesParser.parse(Json.MAPPER.writeValueAsBytes(next)));
    JsonNode sent = back.body().get("messages");
    JsonNode calls = original.at("/choices/0/message/tool_calls");
    JsonNode resent = sent.get(1).get("tool_calls");
    assertThat(resent).hasSize(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      assertThat(resent.get(i).get("id")).isEqualTo(calls.get(i).get("id"));
      assertThat(resent.get(i).at("/function/name")).isEqualTo(calls.get(i).at("/function/name"));
      assertThat(Json.MAPPER.readTree(resent.get(i).at("/function/arguments").asText()))
          .isEqualTo(Json.MAPPER.readTree(calls.get(i).at("/function/arguments").asText()));
      assertThat(sent.get(2 + i).get("role").asText()).isEqualTo("tool");
      assertThat(sent.get(2 + i).get("tool_call_id")).isEqualTo(calls.get(i).get("id"));
    }
  }
}

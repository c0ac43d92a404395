package io.semroute.extproc.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ClientRequest;
import io.semroute.extproc.clientapi.Fixtures;
import io.semroute.extproc.clientapi.TranslatedRequest;
import io.semroute.extproc.openai.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tool loop through the translation both ways, continued with {@code previous_response_id}: the
 * backend's tool calls reach the client as {@code function_call} items; the client answers them by
 * call id against the stored conversation; the backend gets its own tool calls back byte for byte,
 * followed by the {@code tool} messages.
 */
class ResponsesRoundTripTest {
  @Test
  void aFollowUpOnAStoredConversationSendsTheSameToolCallsBack() throws Exception {
    String first = "{\"model\":\"auto\",\"input\":\"Weather in Paris and Tokyo?\",\"stream\":true}";
    ClientRequest firstRequest = ResponsesParser.parse(first.getBytes(StandardCharsets.UTF_8));
    TranslatedRequest sent = ResponsesToChat.translate(firstRequest, null);
    ChatToResponsesStream stream = new ChatToResponsesStream(firstRequest.body());
    stream.accept(Fixtures.bytes("vllm/chat-stream-tool-calls.sse"), true);
    ObjectNode answer = stream.response();
    List<ObjectNode> stored = Conversations.after(sent.body(), answer);

    ObjectNode next = Json.MAPPER.createObjectNode();
    next.put("model", "auto");
    next.put("previous_response_id", answer.get("id").asText());
    var input = next.putArray("input");
    for (JsonNode item : answer.get("output")) {
      if (item.get("type").asText().equals("function_call")) {
        ObjectNode output = input.addObject();
        output.put("type", "function_call_output");
        output.put("call_id", item.get("call_id").asText());
        output.put("output", "sunny");
      }
    }
    ClientRequest followUp = ResponsesParser.parse(Json.MAPPER.writeValueAsBytes(next));
    assertThat(followUp.lastToolResultIds())
        .containsExactly("chatcmpl-tool-9d8c7b6a5f4e3d2c", "chatcmpl-tool-1a2b3c4d5e6f7a8b");
    JsonNode messages = ResponsesToChat.translate(followUp, stored).body().get("messages");

    assertThat(messages.get(0).toString())
        .isEqualTo("{\"role\":\"user\",\"content\":\"Weather in Paris and Tokyo?\"}");
    JsonNode assistant = messages.get(1);
    assertThat(assistant.get("content").asText()).isEqualTo("Checking both cities.");
    assertThat(assistant.at("/tool_calls/0/id").asText())
        .isEqualTo("chatcmpl-tool-9d8c7b6a5f4e3d2c");
    assertThat(assistant.at("/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"city\": \"Paris\", \"unit\": \"celsius\"}");
    assertThat(assistant.at("/tool_calls/1/function/arguments").asText())
        .isEqualTo("{\"city\": \"Tokyo\", \"unit\": \"celsius\"}");
    assertThat(messages.get(2).toString())
        .isEqualTo(
            "{\"role\":\"tool\",\"tool_call_id\":\"chatcmpl-tool-9d8c7b6a5f4e3d2c\",\"content\":\"sunny\"}");
    assertThat(messages.get(3).get("tool_call_id").asText())
        .isEqualTo("chatcmpl-tool-1a2b3c4d5e6f7a8b");
    assertThat(messages).hasSize(4);
  }

  @Test
  void theStoredConversationLeavesInstructionsOut() throws Exception {
    ObjectNode sent =
        ResponsesToChat.translate(
                ResponsesParser.parse(Fixtures.bytes("responses/request-simple.json")), null)
            .body();
    ObjectNode answer =
        (ObjectNode)
            Json.MAPPER.readTree(
                ChatToResponse.translate(
                    Fixtures.json("responses/request-simple.json"),
                    Fixtures.bytes("vllm/chat-reasoning.json")));
    List<ObjectNode> stored = Conversations.after(sent, answer);
    assertThat(stored.toString())
        .isEqualTo(
            "[{\"role\":\"user\",\"content\":\"Solve 3x + 5 = 20 for x.\"}, "
                + "{\"role\":\"assistant\",\"content\":\"x = 5, since 3 × 5 + 5 = 20.\"}]");
  }
}

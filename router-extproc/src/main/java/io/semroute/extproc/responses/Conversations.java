package io.semroute.extproc.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.openai.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The conversation a translated response leaves behind, as Chat Completions messages, for the
 * router's response store: a later request whose {@code previous_response_id} names the response
 * continues from it ({@link ResponsesToChat#translate}). System messages are left out, as the API
 * does not carry {@code instructions} over to the next response.
 */
public final class Conversations {
  private Conversations() {}

  /**
   * @param chatRequest the translated request sent to the backend
   * @param response the response the client got (from {@link ChatToResponse} or {@link
   *     ChatToResponsesStream#response()})
   */
  public static List<ObjectNode> after(ObjectNode chatRequest, ObjectNode response) {
    List<ObjectNode> messages = new ArrayList<>();
    for (JsonNode m : chatRequest.path("messages")) {
      if (!"system".equals(m.path("role").asText())) {
        messages.add((ObjectNode) m.deepCopy());
      }
    }
    ObjectNode assistant = Json.MAPPER.createObjectNode();
    assistant.put("role", "assistant");
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (JsonNode item : response.path("output")) {
      switch (item.path("type").asText()) {
        case "message" -> {
          for (JsonNode part : item.path("content")) {
            text.append(part.path(part.has("text") ? "text" : "refusal").asText());
          }
        }
        case "function_call" -> {
          ObjectNode call = calls.addObject();
          call.put("id", item.path("call_id").asText());
          call.put("type", "function");
          ObjectNode function = call.putObject("function");
          function.put("name", item.path("name").asText());
          function.put("arguments", item.path("arguments").asText());
        }
        default -> {
          // reasoning: not carried over, as in the translated requests
        }
      }
    }
    if (text.length() > 0 || calls.isEmpty()) {
      assistant.put("content", text.toString());
    } else {
      assistant.putNull("content");
    }
    if (!calls.isEmpty()) {
      assistant.set("tool_calls", calls);
    }
    messages.add(assistant);
    return messages;
  }
}

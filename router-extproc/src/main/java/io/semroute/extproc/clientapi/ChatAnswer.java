package io.semroute.extproc.clientapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.openai.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Choice 0 of a Chat Completions JSON answer, read for translation into another API.
 *
 * @param id the completion id ({@code chatcmpl-...})
 * @param reasoning vLLM's {@code reasoning} (or older {@code reasoning_content}), or null
 * @param content the answer text, or null
 * @param refusal the {@code refusal} text, or null
 * @param stopSequence vLLM's {@code stop_reason} when it is the stop string that matched, else null
 * @param usage the usage, {@link ChatUsage#NONE} when absent
 */
public record ChatAnswer(
    String id,
    String model,
    long created,
    String reasoning,
    String content,
    String refusal,
    List<ToolCall> toolCalls,
    String finishReason,
    String stopSequence,
    ChatUsage usage) {

  public ChatAnswer {
    toolCalls = List.copyOf(toolCalls);
  }

  /** One entry of {@code message.tool_calls}. */
  public record ToolCall(String id, String name, String arguments) {}

  public static ChatAnswer parse(byte[] json) throws UnreadableAnswerException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UnreadableAnswerException("the backend's answer is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new UnreadableAnswerException("the backend's answer is not a JSON object");
    }
    JsonNode choice = null;
    for (JsonNode c : root.path("choices")) {
      if (c.path("index").asInt(0) == 0) {
        choice = c;
        break;
      }
    }
    if (choice == null || !choice.path("message").isObject()) {
      throw new UnreadableAnswerException("the backend's answer has no choice with a message");
    }
    JsonNode message = choice.get("message");
    String reasoning = text(message, "reasoning");
    if (reasoning == null) {
      reasoning = text(message, "reasoning_content");
    }
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      calls.add(
          new ToolCall(
              call.path("id").asText(""),
              function.path("name").asText(""),
              function.path("arguments").asText("")));
    }
    JsonNode stop = choice.get("stop_reason");
    ChatUsage usage = ChatUsage.from(root.get("usage"));
    return new ChatAnswer(
        root.path("id").asText(""),
        root.path("model").asText(""),
        root.path("created").asLong(0),
        reasoning,
        text(message, "content"),
        text(message, "refusal"),
        calls,
        text(choice, "finish_reason"),
        stop != null && stop.isTextual() ? stop.asText() : null,
        usage == null ? ChatUsage.NONE : usage);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /**
   * The part of a completion id that names the answer, so the translated answer's ids ({@code
   * msg_...}, {@code resp_...}) are derived from it rather than made up: {@code chatcmpl-abc} gives
   * {@code abc}.
   */
  public static String idSuffix(String chatId) {
    String s = chatId.startsWith("chatcmpl-") ? chatId.substring("chatcmpl-".length()) : chatId;
    return s.isEmpty() ? "0" : s;
  }
}

package io.semroute.extproc.messages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ChatAnswer;
import io.semroute.extproc.clientapi.ChatUsage;
import io.semroute.extproc.openai.Json;

/** The Messages API's {@code message} object and its parts, in the API's key order. */
final class MessageShapes {
  private MessageShapes() {}

  /** An assistant message with no content yet and no stop reason (as in {@code message_start}). */
  static ObjectNode message(String id, String model) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("id", id);
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", model);
    m.putArray("content");
    m.putNull("stop_reason");
    m.putNull("stop_sequence");
    m.set("usage", usage(ChatUsage.NONE));
    return m;
  }

  /**
   * Anthropic counts cache reads apart from {@code input_tokens}; Chat Completions counts them in
   * {@code prompt_tokens} and again in {@code cached_tokens}.
   */
  static ObjectNode usage(ChatUsage usage) {
    ObjectNode u = Json.MAPPER.createObjectNode();
    u.put("input_tokens", Math.max(0, usage.promptTokens() - usage.cachedTokens()));
    u.put("cache_creation_input_tokens", 0);
    u.put("cache_read_input_tokens", usage.cachedTokens());
    u.put("output_tokens", usage.completionTokens());
    return u;
  }

  static ObjectNode textBlock(String text) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("type", "text");
    b.put("text", text);
    return b;
  }

  /**
   * A thinking block. The signature is empty: only Anthropic can sign reasoning, and a translated
   * answer's thinking is dropped when the client sends it back.
   */
  static ObjectNode thinkingBlock(String thinking) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("type", "thinking");
    b.put("thinking", thinking);
    b.put("signature", "");
    return b;
  }

  static ObjectNode toolUseBlock(String id, String name, ObjectNode input) {
    ObjectNode b = Json.MAPPER.createObjectNode();
    b.put("type", "tool_use");
    b.put("id", id);
    b.put("name", name);
    b.set("input", input);
    return b;
  }

  /**
   * Chat Completions' {@code finish_reason} as a Messages {@code stop_reason}: {@code stop} is
   * {@code stop_sequence} when vLLM names the stop string that matched, else {@code end_turn}.
   */
  static String stopReason(String finishReason, String stopSequence) {
    if (finishReason == null) {
      return "end_turn";
    }
    return switch (finishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      case "stop" -> stopSequence != null ? "stop_sequence" : "end_turn";
      default -> "end_turn";
    };
  }

  /** The id of a message translated from a chat completion: {@code msg_} and the completion's. */
  static String messageId(String chatId) {
    return "msg_" + ChatAnswer.idSuffix(chatId);
  }
}

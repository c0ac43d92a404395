package io.semroute.extproc.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ChatAnswer;
import io.semroute.extproc.clientapi.ChatUsage;
import io.semroute.extproc.openai.Json;

/**
 * The Responses API's {@code response} object and its output items, in the API's key order. A
 * response echoes its request's settings ({@code instructions}, {@code tools}, {@code
 * temperature}...), so it is built from the request body.
 */
final class ResponseShapes {
  private ResponseShapes() {}

  /** A response with no output yet, {@code status: in_progress}, echoing {@code request}. */
  static ObjectNode response(ObjectNode request, String id, long createdAt, String model) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("id", id);
    r.put("object", "response");
    r.put("created_at", createdAt);
    r.put("status", "in_progress");
    r.putNull("error");
    r.putNull("incomplete_details");
    echo(request, r, "instructions", null);
    echo(request, r, "max_output_tokens", null);
    r.put("model", model);
    r.putArray("output");
    echo(request, r, "parallel_tool_calls", Json.MAPPER.getNodeFactory().booleanNode(true));
    echo(request, r, "previous_response_id", null);
    ObjectNode reasoning = r.putObject("reasoning");
    JsonNode asked = request.path("reasoning");
    reasoning.set("effort", orNull(asked.get("effort")));
    reasoning.set("summary", orNull(asked.get("summary")));
    echo(request, r, "store", Json.MAPPER.getNodeFactory().booleanNode(true));
    echo(request, r, "temperature", Json.MAPPER.getNodeFactory().numberNode(1.0));
    ObjectNode text = Json.MAPPER.createObjectNode();
    text.putObject("format").put("type", "text");
    echo(request, r, "text", text);
    echo(request, r, "tool_choice", Json.MAPPER.getNodeFactory().textNode("auto"));
    echo(request, r, "tools", Json.MAPPER.createArrayNode());
    echo(request, r, "top_p", Json.MAPPER.getNodeFactory().numberNode(1.0));
    echo(request, r, "truncation", Json.MAPPER.getNodeFactory().textNode("disabled"));
    r.putNull("usage");
    JsonNode user = request.get("safety_identifier");
    r.set("user", orNull(user != null && !user.isNull() ? user : request.get("user")));
    echo(request, r, "metadata", Json.MAPPER.createObjectNode());
    return r;
  }

  private static void echo(ObjectNode request, ObjectNode r, String field, JsonNode fallback) {
    JsonNode value = request.get(field);
    r.set(field, value != null && !value.isNull() ? value.deepCopy() : orNull(fallback));
  }

  private static JsonNode orNull(JsonNode node) {
    return node == null ? Json.MAPPER.getNodeFactory().nullNode() : node;
  }

  static ObjectNode usage(ChatUsage usage) {
    ObjectNode u = Json.MAPPER.createObjectNode();
    u.put("input_tokens", usage.promptTokens());
    ObjectNode input = u.putObject("input_tokens_details");
    input.put("cached_tokens", usage.cachedTokens());
    // Prompt-cache writes: vLLM reports none; the SDK requires the field.
    input.put("cache_write_tokens", 0);
    u.put("output_tokens", usage.completionTokens());
    u.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
    u.put("total_tokens", usage.totalTokens());
    return u;
  }

  static ObjectNode message(String id, String status) {
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("id", id);
    m.put("type", "message");
    m.put("status", status);
    m.put("role", "assistant");
    m.putArray("content");
    return m;
  }

  static ObjectNode outputText(String text) {
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("type", "output_text");
    p.putArray("annotations");
    p.putArray("logprobs");
    p.put("text", text);
    return p;
  }

  static ObjectNode refusal(String text) {
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("type", "refusal");
    p.put("refusal", text);
    return p;
  }

  static ObjectNode reasoningText(String text) {
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("type", "reasoning_text");
    p.put("text", text);
    return p;
  }

  static ObjectNode reasoning(String id) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("id", id);
    r.put("type", "reasoning");
    r.putArray("summary");
    r.putArray("content");
    return r;
  }

  static ObjectNode functionCall(
      String id, String status, String arguments, String callId, String name) {
    ObjectNode f = Json.MAPPER.createObjectNode();
    f.put("id", id);
    f.put("type", "function_call");
    f.put("status", status);
    f.put("arguments", arguments);
    f.put("call_id", callId);
    f.put("name", name);
    return f;
  }

  /**
   * Sets the final status from Chat Completions' finish reason: {@code length} and {@code
   * content_filter} make an {@code incomplete} response (reasons {@code max_output_tokens}, {@code
   * content_filter}), anything else {@code completed}.
   */
  static void finish(ObjectNode response, String finishReason) {
    String reason =
        "length".equals(finishReason)
            ? "max_output_tokens"
            : "content_filter".equals(finishReason) ? "content_filter" : null;
    if (reason == null) {
      response.put("status", "completed");
    } else {
      response.put("status", "incomplete");
      response.putObject("incomplete_details").put("reason", reason);
    }
  }

  static String responseId(String chatId) {
    return "resp_" + ChatAnswer.idSuffix(chatId);
  }

  static String messageId(String chatId) {
    return "msg_" + ChatAnswer.idSuffix(chatId);
  }

  static String reasoningId(String chatId) {
    return "rs_" + ChatAnswer.idSuffix(chatId);
  }

  /** A function call item's id, from the call id the client will answer with. */
  static String functionCallId(String callId) {
    return "fc_" + callId;
  }
}

package io.semroute.extproc.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.SseWriter;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.OpenAiErrors;
import java.io.IOException;

/**
 * The Responses API's errors: OpenAI's error body for JSON ({@code {"error":{...}}}), and the
 * stream's {@code error} event ({@code {"type":"error","code","message","param",
 * "sequence_number"}}) for a client that asked for {@code stream}.
 */
public final class ResponsesErrors {
  private ResponsesErrors() {}

  public static byte[] json(BadRequestException e) {
    return OpenAiErrors.body(e);
  }

  public static byte[] json(String message, String type, String code) {
    return OpenAiErrors.body(message, type, null, code);
  }

  public static ObjectNode event(String code, String message, String param, int sequence) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("type", "error");
    e.put("code", code);
    e.put("message", message);
    if (param == null) {
      e.putNull("param");
    } else {
      e.put("param", param);
    }
    e.put("sequence_number", sequence);
    return e;
  }

  /** The error as the one event of a stream. */
  public static byte[] sse(BadRequestException e) {
    return sse(e.code(), e.getMessage(), e.param());
  }

  public static byte[] sse(String code, String message, String param) {
    SseWriter out = new SseWriter();
    out.event("error", event(code, message, param, 0));
    return out.drain();
  }

  /**
   * A backend's Chat Completions error body in OpenAI's shape: one already in it passes unchanged;
   * vLLM's older flat {@code {"object":"error","message","type","code"}} is wrapped; anything else
   * (a proxy's HTML page) becomes a message naming the status.
   */
  public static byte[] fromChatError(int status, byte[] body) {
    try {
      JsonNode root = Json.MAPPER.readTree(body);
      if (root != null && root.path("error").isObject()) {
        return body;
      }
      if (root != null && root.path("message").isTextual()) {
        JsonNode code = root.get("code");
        return OpenAiErrors.body(
            root.get("message").asText(),
            root.path("type").asText(status >= 500 ? "server_error" : "invalid_request_error"),
            root.path("param").isTextual() ? root.get("param").asText() : null,
            code == null || code.isNull() ? null : code.asText());
      }
    } catch (IOException e) {
      // Not JSON: the status alone says what happened.
    }
    return OpenAiErrors.body(
        "the backend answered HTTP " + status,
        status >= 500 ? "server_error" : "invalid_request_error",
        null,
        null);
  }
}

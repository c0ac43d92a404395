package io.semroute.extproc.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.JsonText;
import io.semroute.extproc.clientapi.SseWriter;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.Json;
import java.io.IOException;

/**
 * Anthropic's error object, {@code {"type":"error","error":{"type","message"}}}, whose {@code
 * error.type} follows the HTTP status, as JSON and as the {@code error} event of a stream.
 */
public final class MessagesErrors {
  private MessagesErrors() {}

  /** The Messages API's error type for an HTTP status. */
  public static String type(int status) {
    return switch (status) {
      case 400, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      case 504 -> "timeout_error";
      default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
    };
  }

  public static ObjectNode object(int status, String message) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("type", "error");
    ObjectNode error = root.putObject("error");
    error.put("type", type(status));
    error.put("message", message);
    return root;
  }

  public static byte[] json(int status, String message) {
    return JsonText.bytes(object(status, message));
  }

  public static byte[] json(BadRequestException e) {
    return json(e.status(), e.getMessage());
  }

  /** The same error as the one event of a stream ({@code event: error}). */
  public static byte[] sse(int status, String message) {
    SseWriter out = new SseWriter();
    out.event("error", object(status, message));
    return out.drain();
  }

  /**
   * A backend's Chat Completions error body (OpenAI's {@code {"error":{...}}}, or vLLM's older flat
   * {@code {"object":"error","message"}}) as the Messages error for the same status; a body that is
   * neither keeps the status with a message saying so.
   */
  public static byte[] fromChatError(int status, byte[] body) {
    String message = "the backend answered HTTP " + status;
    try {
      JsonNode root = Json.MAPPER.readTree(body);
      if (root != null && root.isObject()) {
        JsonNode error = root.path("error").isObject() ? root.get("error") : root;
        if (error.path("message").isTextual()) {
          message = error.get("message").asText();
        }
      }
    } catch (IOException e) {
      // Not JSON (a proxy's HTML page): the status alone says what happened.
    }
    return json(status, message);
  }
}

package io.semroute.extproc.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** OpenAI's error body: {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrors {
  private OpenAiErrors() {}

  public static byte[] body(String message, String type, String param, String code) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    if (param == null) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    error.put("code", code);
    try {
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] body(BadRequestException e) {
    return body(e.getMessage(), "invalid_request_error", e.param(), e.code());
  }
}

package io.semroute.extproc.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.semroute.extproc.openai.Json;
import java.io.IOException;
import java.io.InputStream;

/**
 * One HTTP request as the route table sees it: method, path, headers and the unread body. Built
 * from an {@link HttpExchange} by the server, or directly in tests.
 */
record ApiRequest(String method, String path, Headers headers, InputStream body) {
  /** Largest request body accepted (413 above). */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  /**
   * Most bytes read and dropped after refusing an oversized body, so the 413 reaches the client:
   * closing a socket with unread input resets the connection and the client would see a reset
   * instead of the answer.
   */
  private static final long MAX_DISCARD_BYTES = 16L * 1024 * 1024;

  static ApiRequest of(HttpExchange ex) {
    return new ApiRequest(
        ex.getRequestMethod(),
        ex.getRequestURI().getPath(),
        ex.getRequestHeaders(),
        ex.getRequestBody());
  }

  /** The first value of a header (case-insensitive), or null. */
  String header(String name) {
    return headers.getFirst(name);
  }

  /** The body as a JSON object, at most {@link #MAX_BODY_BYTES} long. */
  JsonNode jsonObject() throws IOException {
    String length = header("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
          discardRest();
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw new ApiError(400, "bad Content-Length", null, "bad_request");
      }
    }
    byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
    if (bytes.length > MAX_BODY_BYTES) {
      discardRest();
      throw tooLarge();
    }
    if (bytes.length == 0) {
      throw new ApiError(400, "a JSON body is required", null, "invalid_json");
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new ApiError(400, "the body must be a JSON object", null, "invalid_json");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ApiError(400, "invalid JSON: " + e.getOriginalMessage(), null, "invalid_json");
    }
  }

  private void discardRest() throws IOException {
    // read(), not skip(): the JDK server's skip() can run past the end of this request's body.
    byte[] buffer = new byte[64 * 1024];
    long left = MAX_DISCARD_BYTES;
    int n;
    while (left > 0 && (n = body.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= n;
    }
  }

  private static ApiError tooLarge() {
    return new ApiError(
        413, "body larger than " + MAX_BODY_BYTES + " bytes", null, "body_too_large");
  }
}

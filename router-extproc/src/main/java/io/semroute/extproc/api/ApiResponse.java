package io.semroute.extproc.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * What a route answers: status, headers besides {@code content-type} (always JSON), and the body.
 *
 * @param body a response record (or JSON tree) that {@link #json()} serialises with snake_case
 *     names, or a {@code byte[]} of JSON already built by the shared OpenAI helpers (error bodies,
 *     the model list), sent as it is
 */
record ApiResponse(int status, Map<String, String> headers, Object body) {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  ApiResponse {
    headers = Map.copyOf(headers);
  }

  static ApiResponse ok(Object body) {
    return new ApiResponse(200, Map.of(), body);
  }

  static ApiResponse of(int status, Object body) {
    return new ApiResponse(status, Map.of(), body);
  }

  /** The body as sent. */
  byte[] json() {
    if (body instanceof byte[] raw) {
      return raw;
    }
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

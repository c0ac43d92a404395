package io.semroute.extproc.api;

import io.semroute.extproc.openai.OpenAiErrors;
import java.util.Map;

/**
 * A request the API refuses, answered with OpenAI's error body {@code {"error": {message, type,
 * param, code}}} and the headers its status calls for ({@code WWW-Authenticate} on 401, {@code
 * Allow} on 405).
 */
final class ApiError extends RuntimeException {
  final int status;
  final String param;
  final String code;
  final Map<String, String> headers;

  ApiError(int status, String message, String param, String code) {
    this(status, message, param, code, Map.of());
  }

  ApiError(int status, String message, String param, String code, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.param = param;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  static ApiError notReady() {
    return new ApiError(503, "the router is still loading its models", null, "not_ready");
  }

  ApiResponse response() {
    return new ApiResponse(
        status,
        headers,
        OpenAiErrors.body(
            getMessage(), status >= 500 ? "server_error" : "invalid_request_error", param, code));
  }
}

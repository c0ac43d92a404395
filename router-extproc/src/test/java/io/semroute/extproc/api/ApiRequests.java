package io.semroute.extproc.api;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** Requests for the route table, built without a socket. */
final class ApiRequests {
  private ApiRequests() {}

  /**
   * @param body the request body, or null for none
   * @param headers name, value, name, value...
   */
  static ApiRequest request(String method, String path, String body, String... headers) {
    Headers h = new Headers();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    return new ApiRequest(method, path, h, new ByteArrayInputStream(bytes));
  }
}

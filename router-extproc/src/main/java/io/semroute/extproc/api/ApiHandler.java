package io.semroute.extproc.api;

import java.io.IOException;

/** The work of one route; refuses a request by throwing {@link ApiError}. */
@FunctionalInterface
interface ApiHandler {
  /**
   * @throws IOException when the request body cannot be read
   */
  ApiResponse handle(ApiRequest request) throws IOException;
}

package io.semroute.extproc.processor;

import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.extproc.pipeline.RequestInfo;

/**
 * Handles one request (one ext_proc stream) of one kind of endpoint, and owns that request's state.
 * Chosen by {@link Processors} on the request headers; every method returns the one reply of the
 * type matching the message it was given.
 */
public interface Processor {
  RequestInfo info();

  ProcessingResponse requestHeaders(HttpHeaders message);

  ProcessingResponse requestBody(HttpBody message);

  ProcessingResponse responseHeaders(HttpHeaders message);

  ProcessingResponse responseBody(HttpBody message);

  /** The stream loop answered the request itself (after a failure) with this status. */
  void answeredLocally(int status);

  /** The stream ended; tells the request listener. Called once. */
  void finish(boolean cancelled);
}

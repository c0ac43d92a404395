package io.semroute.extproc.server;

import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;

/**
 * Response body (one BUFFERED message, or every STREAMED chunk): read {@code usage} as it passes
 * for the metrics of a later issue, and let the bytes through unchanged.
 */
public final class ResponseBodyHandler {

  ProcessingResponse handle(HttpBody message, StreamState state) {
    if (state.usageReader != null) {
      state.usageReader.accept(message.getBody().toByteArray(), message.getEndOfStream());
    }
    return Replies.responseBodyContinue();
  }
}

package io.semroute.extproc.pipeline;

import io.semroute.extproc.envoy.Mutations;

/**
 * One step of a routed request's response path. Called only for requests the router forwarded with
 * a decision; shared by all requests, per-request state lives in the {@link RequestContext}.
 */
public interface ResponseStage {
  /** The upstream response headers arrived ({@link RequestContext#responseStatus()} is set). */
  default void onHeaders(RequestContext ctx, Mutations reply) {}

  /** A response body message: the whole body (BUFFERED) or one chunk (STREAMED). */
  default void onBody(RequestContext ctx, byte[] chunk, boolean endOfStream) {}

  /**
   * The stream ended, cleanly or not; called for every routed request, answered or forwarded, with
   * what happened to it.
   */
  default void onEnd(RequestSummary summary) {}
}

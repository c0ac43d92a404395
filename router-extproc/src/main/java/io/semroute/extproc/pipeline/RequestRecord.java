package io.semroute.extproc.pipeline;

import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.openai.Usage;

/**
 * What happened to one request, handed to {@link RequestListener}s when its stream ends (the hook
 * metrics attach to).
 *
 * @param decision the routing decision, or null when the router did not route the request
 * @param immediateStatus status of the router's own local reply, or 0
 * @param responseStatus the upstream response's status, or 0 when none was seen
 * @param usage token usage read from the response, or null
 * @param cancelled true when the stream ended with an error instead of a clean close
 */
public record RequestRecord(
    String requestId,
    String method,
    String path,
    RoutingDecision decision,
    int immediateStatus,
    int responseStatus,
    boolean responseStreamed,
    Usage usage,
    long durationNanos,
    boolean cancelled) {

  /** A request the router did not route (model list, pass-through). */
  public static RequestRecord unrouted(
      RequestInfo info, int immediateStatus, int responseStatus, boolean cancelled) {
    return new RequestRecord(
        info.requestId(),
        info.method(),
        info.path(),
        null,
        immediateStatus,
        responseStatus,
        false,
        null,
        System.nanoTime() - info.startNanos(),
        cancelled);
  }
}

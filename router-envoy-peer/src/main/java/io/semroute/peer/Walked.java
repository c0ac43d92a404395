package io.semroute.peer;

import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import java.util.List;

/**
 * How one request went through the filter chain (the answer itself went to the {@link Downstream}).
 *
 * @param forwarded what went upstream, or null when the request was answered locally
 * @param immediate the processor's local reply, or null
 * @param trace every ext_proc message with its reply
 * @param streamProblem null when the processor ended the stream cleanly after the last message,
 *     else what went wrong (an extra reply, no end in time)
 */
public record Walked<R>(
    Forwarded<R> forwarded,
    ImmediateResponse immediate,
    List<MessageReply> trace,
    String streamProblem) {

  /** True when Envoy answered itself: the processor's immediate response, a 413, a 404 NR. */
  public boolean localReply() {
    return forwarded == null;
  }
}

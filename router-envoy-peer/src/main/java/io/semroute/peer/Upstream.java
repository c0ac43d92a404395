package io.semroute.peer;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The router filter's upstream call for a matched route: {@link HttpUpstream} over HTTP, or a
 * stand-in (the benchmark's canned answer).
 *
 * @param <R> the route type of the {@link FilterWalk}
 */
@FunctionalInterface
public interface Upstream<R> {
  /**
   * @param headers the request headers after the processor's mutations (lower-case names, pseudo
   *     headers included)
   * @throws FilterFailure when Envoy would answer locally (connect error 503, timeout 504, ...)
   */
  UpstreamResponse call(R route, Map<String, List<String>> headers, byte[] body)
      throws FilterFailure, IOException, InterruptedException;
}

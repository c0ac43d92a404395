package io.semroute.extproc.pipeline;

import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.semroute.extproc.envoy.HeaderMaps;

/**
 * What the request headers say about a request, read once on the first message of its stream.
 *
 * @param method {@code :method}, or null
 * @param path {@code :path} without the query string ("" when absent)
 * @param requestId {@code x-request-id}, or null
 * @param startNanos when the stream opened ({@link System#nanoTime()})
 */
public record RequestInfo(String method, String path, String requestId, long startNanos) {

  /** A stream whose request headers have not arrived (yet). */
  public static RequestInfo unknown(long startNanos) {
    return new RequestInfo(null, null, null, startNanos);
  }

  public static RequestInfo of(HeaderMap headers, long startNanos) {
    String fullPath = HeaderMaps.get(headers, ":path");
    return new RequestInfo(
        HeaderMaps.get(headers, ":method"),
        fullPath == null ? "" : stripQuery(fullPath),
        HeaderMaps.get(headers, "x-request-id"),
        startNanos);
  }

  private static String stripQuery(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }
}

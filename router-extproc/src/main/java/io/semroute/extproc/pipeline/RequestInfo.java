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
 * @param traceparent the W3C {@code traceparent} header Envoy forwarded, or null
 * @param tracestate the W3C {@code tracestate} header, or null
 */
public record RequestInfo(
    String method,
    String path,
    String requestId,
    long startNanos,
    String traceparent,
    String tracestate) {

  public RequestInfo(String method, String path, String requestId, long startNanos) {
    this(method, path, requestId, startNanos, null, null);
  }

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
        startNanos,
        HeaderMaps.get(headers, "traceparent"),
        HeaderMaps.get(headers, "tracestate"));
  }

  private static String stripQuery(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }
}

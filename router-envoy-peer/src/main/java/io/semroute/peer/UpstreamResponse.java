package io.semroute.peer;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * What the upstream answered, before the processor sees it.
 *
 * @param headers lower-case names, without pseudo and hop-by-hop headers; {@code content-length}
 *     kept, as Envoy sends it to the processor
 * @param body read by the walk, closed by it
 */
public record UpstreamResponse(int status, Map<String, List<String>> headers, InputStream body) {
  /** The declared body length, or -1 when the upstream did not declare one. */
  public long contentLength() {
    List<String> values = headers.get("content-length");
    if (values == null || values.isEmpty()) {
      return -1;
    }
    try {
      return Long.parseLong(values.get(0).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

package io.semroute.extproc.envoy;

import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import java.nio.charset.StandardCharsets;

/**
 * Reads header values the way Envoy sends them: in {@code raw_value} (bytes), else {@code value}.
 */
public final class HeaderMaps {
  private HeaderMaps() {}

  /**
   * @return the first value of a header (name compared case-insensitively), or null
   */
  public static String get(HeaderMap headers, String name) {
    for (HeaderValue h : headers.getHeadersList()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return valueOf(h);
      }
    }
    return null;
  }

  public static boolean has(HeaderMap headers, String name) {
    return get(headers, name) != null;
  }

  public static String valueOf(HeaderValue h) {
    return h.getRawValue().isEmpty()
        ? h.getValue()
        : h.getRawValue().toString(StandardCharsets.UTF_8);
  }
}

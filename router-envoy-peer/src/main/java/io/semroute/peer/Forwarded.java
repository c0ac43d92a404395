package io.semroute.peer;

import java.util.List;
import java.util.Map;

/**
 * The request as the router filter sent it upstream, after the processor's mutations.
 *
 * @param route the route matched (after any {@code clear_route_cache})
 * @param headers lower-case names, pseudo headers included
 */
public record Forwarded<R>(R route, Map<String, List<String>> headers, byte[] body) {
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}

package io.semroute.peer;

import java.util.List;
import java.util.Map;

/**
 * One attempt of a routed request as {@link ClusterAttempts} played it.
 *
 * @param endpoint the chosen endpoint, {@code host:port} as the cluster names it
 * @param headers the request after the upstream filters (what the endpoint was sent)
 * @param body likewise
 * @param status the answer's status (the upstream filter's local reply included), or 0 when the
 *     endpoint could not be reached or reset the connection
 * @param forwarded false when the upstream filter answered locally (nothing reached the endpoint)
 */
public record AttemptRecord(
    String endpoint,
    Map<String, List<String>> headers,
    byte[] body,
    int status,
    boolean forwarded) {
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}

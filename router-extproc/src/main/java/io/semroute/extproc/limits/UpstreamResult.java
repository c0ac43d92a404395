package io.semroute.extproc.limits;

/**
 * What one upstream answer says about the model's health, as the circuit breaker counts it.
 *
 * @param failure the backend failed: 5xx, 429, a reset or a refused connection
 * @param counts the answer says anything at all: other 4xx are the client's fault and neither break
 *     a run of failures nor extend it
 * @param description for the log line: the status, or {@code reset}
 */
public record UpstreamResult(boolean failure, boolean counts, String description) {
  /** The connection failed or was reset before a complete answer. */
  public static final UpstreamResult RESET = new UpstreamResult(true, true, "reset");

  /** An answer with this HTTP status. */
  public static UpstreamResult ofStatus(int status) {
    String d = Integer.toString(status);
    if (status >= 500 || status == 429) {
      return new UpstreamResult(true, true, d);
    }
    if (status >= 400) {
      return new UpstreamResult(false, false, d);
    }
    return new UpstreamResult(false, true, d);
  }
}

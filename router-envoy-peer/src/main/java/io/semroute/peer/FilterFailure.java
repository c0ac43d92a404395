package io.semroute.peer;

/**
 * A request Envoy fails with a local reply of {@link #status()}: a fail-closed ext_proc error (a
 * stream error, a spurious reply, a refused mutation, a {@code content-length} mismatch: 500), a
 * message timeout (504), an upstream that cannot be reached (503) or does not answer in time (504).
 * An upstream failure keeps the I/O exception as its cause.
 */
public final class FilterFailure extends Exception {
  private final int status;

  public FilterFailure(int status, String message) {
    super(message);
    this.status = status;
  }

  public FilterFailure(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}

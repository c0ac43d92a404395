package io.semroute.extproc.limits;

/** The counter store could not answer (Redis down, timed out, refused AUTH). */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

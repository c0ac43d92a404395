package io.semroute.gateway;

/**
 * A request the gateway answers itself, the way Envoy would: a fail-closed ext_proc error (500), a
 * message timeout (504), a body over the buffer limit (413), an upstream that cannot be reached
 * (503).
 */
public final class GatewayFailure extends Exception {
  private final int status;

  GatewayFailure(int status, String message) {
    super(message);
    this.status = status;
  }

  GatewayFailure(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}

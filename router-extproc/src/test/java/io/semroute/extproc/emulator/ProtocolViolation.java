package io.semroute.extproc.emulator;

/** The router did something Envoy would punish (spurious reply, length mismatch, ...). */
public final class ProtocolViolation extends AssertionError {
  public ProtocolViolation(String message) {
    super(message);
  }
}

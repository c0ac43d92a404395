package io.semroute.extproc.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The API's bearer token, or none (an open API). */
final class BearerToken {
  static final BearerToken NONE = new BearerToken(null);

  /** {@code "Bearer " + token} as bytes, or null when no token is set. */
  private final byte[] expected;

  private BearerToken(byte[] expected) {
    this.expected = expected;
  }

  /**
   * @param token the token, or null for an open API
   */
  static BearerToken of(String token) {
    return token == null
        ? NONE
        : new BearerToken(("Bearer " + token).getBytes(StandardCharsets.UTF_8));
  }

  /** Whether an {@code Authorization} header value (null when absent) lets the caller in. */
  boolean admits(String authorization) {
    if (expected == null) {
      return true;
    }
    byte[] given =
        authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8);
    // MessageDigest.isEqual takes time independent of where the bytes differ.
    return MessageDigest.isEqual(given, expected);
  }
}

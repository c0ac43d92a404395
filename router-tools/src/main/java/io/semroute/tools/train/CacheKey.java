package io.semroute.tools.train;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * File-name key of a cached encoding: what produced it (encoder id, layers) and the exact texts, so
 * a cache file is reused only for the same encoder and the same rows. Shared by {@link
 * EmbeddingCache} and {@link LayerStates}; changing it orphans every cache file on disk.
 */
final class CacheKey {
  private CacheKey() {}

  /**
   * SHA-256 over {@code id}, then a 0 byte and the UTF-8 bytes per text; the first 24 hex digits.
   */
  static String of(String id, List<String> texts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(id.getBytes(StandardCharsets.UTF_8));
      for (String t : texts) {
        md.update((byte) 0);
        md.update(t.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 24);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

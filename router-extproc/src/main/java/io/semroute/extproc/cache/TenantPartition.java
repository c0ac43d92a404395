package io.semroute.extproc.cache;

/**
 * The key a tenant header's value stands for wherever the router keeps per-tenant state (the
 * semantic cache's partitions, the rate limiter's counters, the remembered conversations): a
 * SHA-256 of the header name and the value, so a raw {@code authorization} secret is never kept or
 * logged, and the same tenant gets the same key in every replica and every store.
 */
public final class TenantPartition {
  private TenantPartition() {}

  /**
   * The key of {@code value} read from {@code header} (lower-case name), or null when the value is
   * null or blank.
   */
  public static String of(String header, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return digest(header + "\u0000" + value.strip());
  }

  /** The key of a tenant identified by {@code identity} (already combined from its headers). */
  public static String digest(String identity) {
    return CacheKey.sha256(identity).substring(0, 32);
  }
}

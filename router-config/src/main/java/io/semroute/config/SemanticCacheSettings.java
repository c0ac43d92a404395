package io.semroute.config;

/**
 * The {@code semantic_cache:} section: whether repeated requests are answered from a cache, where
 * entries live, how they are partitioned and when a different wording still counts as the same
 * request. Read and validated by {@link SemanticCacheReader}; docs/semantic-cache.md explains the
 * key composition, the partitions and what a client sees.
 *
 * @param enabled the cache is looked up and filled at all
 * @param backend where entries live
 * @param redis the Redis server and key prefix ({@link Backend#REDIS} only)
 * @param tenantHeader request header whose value is the partition (its SHA-256 is used, never the
 *     raw value; {@code authorization} is allowed and so never stored), or null with {@code shared}
 * @param shared requests without the tenant header share one partition (off: they are neither
 *     looked up nor stored)
 * @param similarityThreshold cosine similarity at or above which the semantic tier hits
 * @param ttlSeconds how long an entry may be served
 * @param maxEntries bound of the memory backend (least recently used evicted first)
 * @param cacheSampled requests that set {@code temperature > 0} are cached too
 * @param semanticTier a request may also be answered with the answer of a differently worded
 *     question that asks the same thing (off: exact matches only)
 */
public record SemanticCacheSettings(
    boolean enabled,
    Backend backend,
    RedisSettings redis,
    String tenantHeader,
    boolean shared,
    double similarityThreshold,
    long ttlSeconds,
    int maxEntries,
    boolean cacheSampled,
    boolean semanticTier) {

  public static final double DEFAULT_SIMILARITY_THRESHOLD = 0.84;

  /** Settings with the semantic tier on (what code and tests that build settings mean by it). */
  public SemanticCacheSettings(
      boolean enabled,
      Backend backend,
      RedisSettings redis,
      String tenantHeader,
      boolean shared,
      double similarityThreshold,
      long ttlSeconds,
      int maxEntries,
      boolean cacheSampled) {
    this(
        enabled,
        backend,
        redis,
        tenantHeader,
        shared,
        similarityThreshold,
        ttlSeconds,
        maxEntries,
        cacheSampled,
        true);
  }

  public static final long DEFAULT_TTL_SECONDS = 3600;
  public static final int DEFAULT_MAX_ENTRIES = 10_000;

  /** No cache (the section is absent). */
  public static final SemanticCacheSettings OFF =
      new SemanticCacheSettings(
          false,
          Backend.MEMORY,
          RedisSettings.DEFAULTS,
          null,
          false,
          DEFAULT_SIMILARITY_THRESHOLD,
          DEFAULT_TTL_SECONDS,
          DEFAULT_MAX_ENTRIES,
          false);

  /** Where entries live. */
  public enum Backend {
    /** In the router's heap: per replica, bounded, LRU. */
    MEMORY,
    /** One Redis server shared by every replica. */
    REDIS
  }

  /**
   * @param host Redis host (DNS name, IPv4 or bracketed IPv6)
   * @param port Redis port
   * @param keyPrefix prefix of every key the router writes
   * @param passwordEnv environment variable holding the password (AUTH), or null for none
   */
  public record RedisSettings(String host, int port, String keyPrefix, String passwordEnv) {
    public static final RedisSettings DEFAULTS =
        new RedisSettings("localhost", 6379, "semroute:", null);

    public String address() {
      return host + ":" + port;
    }
  }
}

package io.semroute.config;

import java.util.List;

/**
 * The {@code rate_limits:} section: per-tenant request and token budgets. Read and validated by
 * {@link RateLimitReader}; docs/configuration.md describes every key.
 *
 * @param enabled the section is present (absent: nothing is limited per tenant)
 * @param tenantHeader request header naming the tenant (lower case); its value is hashed like the
 *     semantic cache's partition key, never kept raw
 * @param backend where the counters live
 * @param redis the Redis server and key prefix ({@link Backend#REDIS} only)
 * @param failOpen when the counter store cannot answer: admit (true) or refuse (false)
 * @param rules every rule whose match holds applies; a request must fit all of them
 */
public record RateLimitSettings(
    boolean enabled,
    String tenantHeader,
    Backend backend,
    SemanticCacheSettings.RedisSettings redis,
    boolean failOpen,
    List<RateLimitRule> rules) {

  public static final String DEFAULT_TENANT_HEADER = "x-user-id";
  public static final SemanticCacheSettings.RedisSettings DEFAULT_REDIS =
      new SemanticCacheSettings.RedisSettings("localhost", 6379, "semroute:rl:", null);

  /** No per-tenant limits (the section is absent). */
  public static final RateLimitSettings OFF =
      new RateLimitSettings(
          false, DEFAULT_TENANT_HEADER, Backend.MEMORY, DEFAULT_REDIS, true, List.of());

  /** Where the counters live. */
  public enum Backend {
    /** In the router's heap: each replica enforces the limits alone. */
    MEMORY,
    /** One Redis server: every replica shares the counters, so the limits hold across them. */
    REDIS
  }

  public RateLimitSettings {
    rules = List.copyOf(rules);
  }
}

package io.semroute.extproc.limits;

import io.semroute.config.RateLimitRule;
import io.semroute.config.RateLimitSettings;
import io.semroute.config.SemanticCacheSettings;
import java.util.List;
import java.util.Set;

/** Settings for the limiter tests, built in code (the reader is tested in router-config). */
final class Limits {
  private Limits() {}

  static RateLimitRule perTenant(long rpm, long tpm, long tpd) {
    return new RateLimitRule("per-tenant", null, Set.of(), Set.of(), rpm, tpm, tpd);
  }

  static RateLimitSettings memory(RateLimitRule... rules) {
    return new RateLimitSettings(
        true,
        RateLimitSettings.DEFAULT_TENANT_HEADER,
        RateLimitSettings.Backend.MEMORY,
        RateLimitSettings.DEFAULT_REDIS,
        true,
        List.of(rules));
  }

  static RateLimitSettings redis(
      SemanticCacheSettings.RedisSettings redis, boolean failOpen, RateLimitRule... rules) {
    return new RateLimitSettings(
        true,
        RateLimitSettings.DEFAULT_TENANT_HEADER,
        RateLimitSettings.Backend.REDIS,
        redis,
        failOpen,
        List.of(rules));
  }
}

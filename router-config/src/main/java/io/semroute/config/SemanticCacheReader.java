package io.semroute.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates the {@code semantic_cache:} section (file:line:key errors). */
final class SemanticCacheReader {
  static final Set<String> KEYS =
      ordered(
          "enabled",
          "backend",
          "redis",
          "tenant_header",
          "shared",
          "similarity_threshold",
          "ttl_seconds",
          "max_entries",
          "cache_sampled",
          "semantic_tier");
  static final Set<String> REDIS_KEYS = ordered("address", "key_prefix", "password_env");
  static final List<String> BACKENDS = List.of("memory", "redis");

  /** An HTTP header name (RFC 9110 token), no pseudo-headers. */
  static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern KEY_PREFIX = Pattern.compile("[!-~]{1,64}");
  static final long MAX_TTL_SECONDS = 366L * 24 * 3600;

  private SemanticCacheReader() {}

  private static Set<String> ordered(String... keys) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
  }

  static SemanticCacheSettings read(YamlNode n) {
    SemanticCacheSettings d = SemanticCacheSettings.OFF;
    if (!n.isPresent()) {
      return d;
    }
    Map<String, YamlNode> e = n.entries(KEYS);
    boolean enabled = YamlNode.child(e, n, "enabled").bool(true);
    YamlNode backendNode = YamlNode.child(e, n, "backend");
    SemanticCacheSettings.Backend backend =
        backendNode.choice("memory", BACKENDS).equals("redis")
            ? SemanticCacheSettings.Backend.REDIS
            : SemanticCacheSettings.Backend.MEMORY;
    SemanticCacheSettings.RedisSettings redis =
        redis(
            YamlNode.child(e, n, "redis"),
            SemanticCacheSettings.RedisSettings.DEFAULTS,
            enabled && backend == SemanticCacheSettings.Backend.REDIS);

    YamlNode tenantNode = YamlNode.child(e, n, "tenant_header");
    String tenant = tenantNode.string(null);
    if (tenant != null) {
      if (!HEADER.matcher(tenant).matches()) {
        throw tenantNode.error("'" + tenant + "' is not an HTTP header name");
      }
      tenant = tenant.toLowerCase(Locale.ROOT);
    }
    YamlNode sharedNode = YamlNode.child(e, n, "shared");
    boolean shared = sharedNode.bool(false);
    if (enabled && tenant == null && !shared) {
      // Without a partition key nothing would ever be cached: say so instead of silently idling.
      throw tenantNode.error(
          "required: the header that names the tenant (e.g. x-user-id, or"
              + " authorization, which is hashed), or shared: true to let every client share one cache");
    }

    YamlNode thresholdNode = YamlNode.child(e, n, "similarity_threshold");
    double threshold = thresholdNode.number(d.similarityThreshold(), 0, 1);
    if (threshold < 0.5) {
      // Unrelated questions reach 0.5 with MiniLM: such a threshold answers the wrong question.
      throw thresholdNode.error(
          "must be between 0.5 and 1 (below 0.5 unrelated questions hit;"
              + " docs/semantic-cache.md's false-hit table shows "
              + d.similarityThreshold()
              + " is the shipped choice)");
    }
    long ttl =
        YamlNode.child(e, n, "ttl_seconds").integer((int) d.ttlSeconds(), 1, (int) MAX_TTL_SECONDS);
    int maxEntries = YamlNode.child(e, n, "max_entries").integer(d.maxEntries(), 1, 10_000_000);
    boolean sampled = YamlNode.child(e, n, "cache_sampled").bool(false);
    // Off unless asked for: an exact repeat is always the same question; a different wording is
    // served only where the operator accepts the measured trade (docs/semantic-cache.md).
    boolean semanticTier = YamlNode.child(e, n, "semantic_tier").bool(false);
    return new SemanticCacheSettings(
        enabled, backend, redis, tenant, shared, threshold, ttl, maxEntries, sampled, semanticTier);
  }

  /**
   * A {@code redis:} block (this section's or {@code rate_limits.redis}).
   *
   * @param d the defaults of the section
   * @param used the section uses Redis, so a named password variable must be set
   */
  static SemanticCacheSettings.RedisSettings redis(
      YamlNode n, SemanticCacheSettings.RedisSettings d, boolean used) {
    if (!n.isPresent()) {
      return d;
    }
    Map<String, YamlNode> e = n.entries(REDIS_KEYS);
    YamlNode addressNode = YamlNode.child(e, n, "address");
    HostPort address;
    try {
      address = HostPort.parse(addressNode.string(d.address()));
    } catch (IllegalArgumentException ex) {
      throw addressNode.error(ex.getMessage());
    }
    YamlNode prefixNode = YamlNode.child(e, n, "key_prefix");
    String prefix = prefixNode.string(d.keyPrefix());
    if (!KEY_PREFIX.matcher(prefix).matches()) {
      throw prefixNode.error("1 to 64 printable characters without spaces, e.g. 'semroute:'");
    }
    YamlNode envNode = YamlNode.child(e, n, "password_env");
    String env = envNode.string(null);
    if (env != null) {
      if (!ENV_NAME.matcher(env).matches()) {
        throw envNode.error("'" + env + "' is not an environment variable name");
      }
      if (used && System.getenv(env) == null) {
        // A store that silently fails AUTH on every request would look like "always miss".
        throw envNode.error(
            "environment variable "
                + env
                + " is not set (it holds the Redis"
                + " password); set it or remove password_env");
      }
    }
    return new SemanticCacheSettings.RedisSettings(address.host(), address.port(), prefix, env);
  }
}

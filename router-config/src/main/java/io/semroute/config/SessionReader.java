package io.semroute.config;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates the {@code session:} section (file:line:key errors). */
final class SessionReader {
  static final Set<String> KEYS =
      Collections.unmodifiableSet(
          new LinkedHashSet<>(
              List.of("enabled", "header", "ttl_seconds", "backend", "redis", "switch_margin")));
  static final List<String> BACKENDS = List.of("memory", "redis");

  /** An HTTP header name (RFC 9110 token), no pseudo-headers. */
  private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private SessionReader() {}

  static SessionSettings read(YamlNode n) {
    SessionSettings d = SessionSettings.DEFAULTS;
    if (!n.isPresent()) {
      return d;
    }
    Map<String, YamlNode> e = n.entries(KEYS);
    boolean enabled = YamlNode.child(e, n, "enabled").bool(true);
    YamlNode headerNode = YamlNode.child(e, n, "header");
    String header = headerNode.string(d.header());
    if (!HEADER.matcher(header).matches()) {
      throw headerNode.error("'" + header + "' is not an HTTP header name");
    }
    long ttl =
        YamlNode.child(e, n, "ttl_seconds")
            .integer((int) d.ttlSeconds(), 1, (int) SemanticCacheReader.MAX_TTL_SECONDS);
    SessionSettings.Backend backend =
        YamlNode.child(e, n, "backend").choice("memory", BACKENDS).equals("redis")
            ? SessionSettings.Backend.REDIS
            : SessionSettings.Backend.MEMORY;
    SemanticCacheSettings.RedisSettings redis =
        SemanticCacheReader.redis(
            YamlNode.child(e, n, "redis"),
            SemanticCacheSettings.RedisSettings.DEFAULTS,
            backend == SessionSettings.Backend.REDIS);
    double margin = YamlNode.child(e, n, "switch_margin").number(d.switchMargin(), 0, 1);
    return new SessionSettings(
        enabled, header.toLowerCase(Locale.ROOT), ttl, backend, redis, margin);
  }
}

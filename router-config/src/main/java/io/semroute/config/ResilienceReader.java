package io.semroute.config;

import java.util.Map;
import java.util.Set;

/** Reads and validates the {@code resilience:} section (file:line:key errors). */
final class ResilienceReader {
  static final Set<String> KEYS = RouterConfigReader.orderedSet("circuit_breaker", "fallback");
  static final Set<String> BREAKER_KEYS =
      RouterConfigReader.orderedSet("consecutive_failures", "window_seconds", "cooldown_seconds");
  static final Set<String> FALLBACK_KEYS =
      RouterConfigReader.orderedSet("max_attempts", "on_explicit_model");

  static final int MAX_SECONDS = 24 * 3600;
  static final int MAX_ATTEMPTS = 10;

  private ResilienceReader() {}

  static ResilienceSettings read(YamlNode n) {
    if (!n.isPresent()) {
      return ResilienceSettings.OFF;
    }
    Map<String, YamlNode> e = n.entries(KEYS);
    return new ResilienceSettings(
        breaker(YamlNode.child(e, n, "circuit_breaker")),
        fallback(YamlNode.child(e, n, "fallback")));
  }

  private static ResilienceSettings.CircuitBreaker breaker(YamlNode n) {
    ResilienceSettings.CircuitBreaker d = ResilienceSettings.CircuitBreaker.OFF;
    if (!n.isPresent()) {
      return d;
    }
    Map<String, YamlNode> e = n.entries(BREAKER_KEYS);
    return new ResilienceSettings.CircuitBreaker(
        true,
        YamlNode.child(e, n, "consecutive_failures").integer(d.consecutiveFailures(), 1, 1000),
        YamlNode.child(e, n, "window_seconds").integer(d.windowSeconds(), 1, MAX_SECONDS),
        YamlNode.child(e, n, "cooldown_seconds").integer(d.cooldownSeconds(), 1, MAX_SECONDS));
  }

  private static ResilienceSettings.Fallback fallback(YamlNode n) {
    ResilienceSettings.Fallback d = ResilienceSettings.Fallback.OFF;
    if (!n.isPresent()) {
      return d;
    }
    Map<String, YamlNode> e = n.entries(FALLBACK_KEYS);
    return new ResilienceSettings.Fallback(
        true,
        YamlNode.child(e, n, "max_attempts").integer(d.maxAttempts(), 1, MAX_ATTEMPTS),
        YamlNode.child(e, n, "on_explicit_model").bool(false));
  }
}

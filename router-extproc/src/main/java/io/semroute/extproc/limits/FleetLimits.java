package io.semroute.extproc.limits;

import io.semroute.config.ResilienceSettings;

/**
 * What one config version limits, as the request path uses it: the per-tenant budgets, the models'
 * own limits, the circuit breakers and the fallback rule. Built per config by {@link LimitStores},
 * which keeps the parts that hold state (counters, breakers, in-flight slots) across reloads.
 *
 * @param rateLimiter the {@code rate_limits:} budgets, or null when the section is absent
 * @param models the {@code models.<m>.limits}, or null when no model has limits
 * @param breakers the circuit breakers (always present; {@link CircuitBreakers#enabled} says
 *     whether they count)
 * @param fallback whether and where a failed attempt is retried
 */
public record FleetLimits(
    RateLimiter rateLimiter,
    ModelLimiter models,
    CircuitBreakers breakers,
    FallbackPolicy fallback) {

  /** Nothing limited, no breakers, no fallback. */
  public static final FleetLimits OFF =
      new FleetLimits(
          null,
          null,
          new CircuitBreakers(
              ResilienceSettings.CircuitBreaker.OFF,
              System::currentTimeMillis,
              BreakerListener.NONE),
          new FallbackPolicy(ResilienceSettings.Fallback.OFF));

  /** Whether the request path has anything to check. */
  public boolean active() {
    return rateLimiter != null || models != null || breakers.enabled() || fallback.enabled();
  }
}

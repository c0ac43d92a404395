package io.semroute.config;

/**
 * The {@code resilience:} section: when the router stops sending {@code auto} traffic to a failing
 * model, and whether a failed attempt is retried on the next candidate model.
 */
public record ResilienceSettings(CircuitBreaker circuitBreaker, Fallback fallback) {
  public static final ResilienceSettings OFF =
      new ResilienceSettings(CircuitBreaker.OFF, Fallback.OFF);

  /**
   * @param enabled the block is present
   * @param consecutiveFailures failures in a row (5xx, 429, reset) that open the breaker
   * @param windowSeconds the failures must fall within this many seconds of the first of them
   * @param cooldownSeconds how long an open breaker keeps {@code auto} traffic away before one
   *     probe request is let through (half-open)
   */
  public record CircuitBreaker(
      boolean enabled, int consecutiveFailures, int windowSeconds, int cooldownSeconds) {
    public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
    public static final int DEFAULT_WINDOW_SECONDS = 60;
    public static final int DEFAULT_COOLDOWN_SECONDS = 30;
    public static final CircuitBreaker OFF =
        new CircuitBreaker(
            false, DEFAULT_CONSECUTIVE_FAILURES, DEFAULT_WINDOW_SECONDS, DEFAULT_COOLDOWN_SECONDS);
  }

  /**
   * @param enabled the block is present
   * @param maxAttempts attempts per request in all, the first included (1 = no retry)
   * @param onExplicitModel also retry requests that named their model on another model
   */
  public record Fallback(boolean enabled, int maxAttempts, boolean onExplicitModel) {
    public static final int DEFAULT_MAX_ATTEMPTS = 2;
    public static final Fallback OFF = new Fallback(false, DEFAULT_MAX_ATTEMPTS, false);
  }
}

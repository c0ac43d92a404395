package io.semroute.extproc.limits;

import io.semroute.config.ResilienceSettings;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code resilience.fallback}: whether a failed attempt is retried, and on which model. Only
 * failures before the first response byte qualify (nothing has reached the client yet): a refused
 * or reset connection, 429, 502, 503 and 504. The next model is the first candidate (the category's
 * or decision's models, best first) not tried yet that the caller's test accepts — the caller
 * checks the PII policy there, so a fallback never widens it, and may skip models whose breaker is
 * open or that are at their limit.
 */
public final class FallbackPolicy {
  private final ResilienceSettings.Fallback settings;

  public FallbackPolicy(ResilienceSettings.Fallback settings) {
    this.settings = settings;
  }

  /** Whether {@code resilience.fallback} is configured. */
  public boolean enabled() {
    return settings.enabled();
  }

  /** Whether a request that named its model may be retried on another one. */
  public boolean onExplicitModel() {
    return settings.onExplicitModel();
  }

  /** Attempts per request in all, the first included. */
  public int maxAttempts() {
    return settings.maxAttempts();
  }

  /**
   * Whether an upstream answer with this status, before any byte reached the client, is retried.
   */
  public static boolean retryableStatus(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  /**
   * The model of the next attempt, or empty when there is none: fallback off, the request named its
   * model (unless {@code on_explicit_model}), {@code max_attempts} used, or no candidate left.
   *
   * @param candidates the request's candidate models, best first
   * @param tried models already attempted (the first attempt's included)
   * @param explicitModel the client named the model
   * @param allowed the caller's test of a candidate (PII policy, breaker, model limits)
   */
  public Optional<String> next(
      List<String> candidates,
      Collection<String> tried,
      boolean explicitModel,
      Predicate<String> allowed) {
    if (!settings.enabled()
        || (explicitModel && !settings.onExplicitModel())
        || tried.size() >= settings.maxAttempts()) {
      return Optional.empty();
    }
    return candidates.stream().filter(m -> !tried.contains(m)).filter(allowed).findFirst();
  }
}

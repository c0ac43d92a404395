package io.semroute.extproc.limits;

import io.semroute.config.ResilienceSettings;
import java.util.function.LongSupplier;

/**
 * One model's circuit breaker, fed by the upstream status of every answer the router sees. {@code
 * consecutive_failures} failures in a row, all within {@code window_seconds} of the first, open it;
 * while open, {@link #available} is false for {@code cooldown_seconds}; then one caller of {@link
 * #tryAcquire} gets the probe (half-open) and the probe's answer closes it (success) or opens it
 * again (failure). A probe that never reports back (its request vanished) is replaced by a new one
 * after another cool-down, so a lost answer cannot keep a model out for good.
 */
public final class CircuitBreaker {
  private final String model;
  private final ResilienceSettings.CircuitBreaker settings;
  private final LongSupplier millis;
  private final BreakerListener listener;

  private BreakerState state = BreakerState.CLOSED;
  private int failures;
  private long firstFailureAt;
  private long openedAt;

  /** Open: when the probe may go. Half-open: when the probe went out. */
  private long probeAt;

  CircuitBreaker(
      String model,
      ResilienceSettings.CircuitBreaker settings,
      LongSupplier millis,
      BreakerListener listener) {
    this.model = model;
    this.settings = settings;
    this.millis = millis;
    this.listener = listener;
  }

  /** Whether a request could be sent now, without taking the half-open probe. */
  public synchronized boolean available() {
    return nextProbeAt() <= millis.getAsLong();
  }

  /**
   * Whether a request may be sent now. In an open breaker whose cool-down has passed, the first
   * caller gets the probe (and the breaker turns half-open); later ones are refused until the probe
   * reports, or until a cool-down later when it never does.
   */
  public synchronized boolean tryAcquire() {
    long now = millis.getAsLong();
    if (state == BreakerState.CLOSED) {
      return true;
    }
    if (now < nextProbeAt()) {
      return false;
    }
    String reason =
        state == BreakerState.OPEN
            ? "cool-down of " + settings.cooldownSeconds() + " s over, probing"
            : "probe lost, probing again";
    probeAt = now;
    move(BreakerState.HALF_OPEN, reason);
    return true;
  }

  /** When the next request may go: now when closed, else when the (next) probe may. */
  private long nextProbeAt() {
    return switch (state) {
      case CLOSED -> Long.MIN_VALUE;
      case OPEN -> probeAt;
      case HALF_OPEN -> probeAt + cooldownMillis();
    };
  }

  /** Counts one upstream answer of the model. */
  public synchronized void record(UpstreamResult result) {
    if (!result.counts()) {
      return;
    }
    long now = millis.getAsLong();
    if (!result.failure()) {
      failures = 0;
      if (state == BreakerState.HALF_OPEN) {
        move(BreakerState.CLOSED, "probe succeeded (" + result.description() + ")");
      }
      return;
    }
    switch (state) {
      case CLOSED -> {
        if (failures == 0 || now - firstFailureAt > settings.windowSeconds() * 1000L) {
          failures = 1;
          firstFailureAt = now;
        } else {
          failures++;
        }
        if (failures >= settings.consecutiveFailures()) {
          open(
              now,
              failures
                  + " consecutive failures in "
                  + (now - firstFailureAt) / 1000
                  + " s, last: "
                  + result.description());
        }
      }
      case HALF_OPEN -> open(now, "probe failed (" + result.description() + ")");
      case OPEN -> {
        // Late answers of requests sent before it opened: it is open already.
      }
    }
  }

  public synchronized BreakerSnapshot snapshot() {
    return new BreakerSnapshot(
        model, state, failures, openedAt, state == BreakerState.CLOSED ? 0 : nextProbeAt());
  }

  public synchronized BreakerState state() {
    return state;
  }

  private void open(long now, String reason) {
    openedAt = now;
    probeAt = now + cooldownMillis();
    move(BreakerState.OPEN, reason);
  }

  private long cooldownMillis() {
    return settings.cooldownSeconds() * 1000L;
  }

  private void move(BreakerState to, String reason) {
    BreakerState from = state;
    state = to;
    if (to == BreakerState.CLOSED) {
      failures = 0;
    }
    if (from != to) { // a lost probe replaced is no change of state
      listener.changed(model, from, to, reason);
    }
  }
}

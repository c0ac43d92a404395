package io.semroute.extproc.limits;

import java.util.Locale;

/** Where a model's circuit breaker stands. */
public enum BreakerState {
  /** Traffic flows; failures are counted. */
  CLOSED,
  /** Too many failures: {@code auto} traffic avoids the model until the cool-down has passed. */
  OPEN,
  /** Cool-down over: one probe request is let through; its answer closes or reopens. */
  HALF_OPEN;

  /** The name used in logs, metrics and {@code /info/models}: {@code closed}, {@code half_open}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

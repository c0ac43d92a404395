package io.semroute.extproc.limits;

/** Told of every state change of a model's circuit breaker (for the metric and the log line). */
@FunctionalInterface
public interface BreakerListener {
  BreakerListener NONE = (model, from, to, reason) -> {};

  /**
   * @param reason why, for the log line (e.g. {@code 5 consecutive failures in 12 s, last: 503})
   */
  void changed(String model, BreakerState from, BreakerState to, String reason);
}

package io.semroute.extproc.limits;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one log line for every breaker state change (WARN when a breaker opens, INFO otherwise),
 * then tells {@code next} (the metrics).
 */
public final class LoggedBreakerListener implements BreakerListener {
  private static final Logger log = LoggerFactory.getLogger(LoggedBreakerListener.class);

  private final BreakerListener next;

  public LoggedBreakerListener(BreakerListener next) {
    this.next = next;
  }

  @Override
  public void changed(String model, BreakerState from, BreakerState to, String reason) {
    if (to == BreakerState.OPEN) {
      log.warn(
          "circuit breaker of model {}: {} -> {} ({})", model, from.label(), to.label(), reason);
    } else {
      log.info(
          "circuit breaker of model {}: {} -> {} ({})", model, from.label(), to.label(), reason);
    }
    next.changed(model, from, to, reason);
  }
}

package io.semroute.extproc.limits;

import io.semroute.config.ResilienceSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * The circuit breakers of every model, made on first use. With {@code resilience.circuit_breaker}
 * absent every model is always available and nothing is counted. The listener is called under the
 * breaker's lock: it must be quick (a metric increment, a log line).
 */
public final class CircuitBreakers {
  private final ResilienceSettings.CircuitBreaker settings;
  private final LongSupplier millis;
  private final BreakerListener listener;
  private final ConcurrentMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  public CircuitBreakers(
      ResilienceSettings.CircuitBreaker settings, LongSupplier millis, BreakerListener listener) {
    this.settings = settings;
    this.millis = millis;
    this.listener = listener;
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /** Whether {@code auto} traffic may go to the model now (never takes the probe). */
  public boolean available(String model) {
    return !settings.enabled() || breaker(model).available();
  }

  /** Whether a request may go to the model now; may take the half-open probe. */
  public boolean tryAcquire(String model) {
    return !settings.enabled() || breaker(model).tryAcquire();
  }

  /** Counts an upstream answer of the model. */
  public void record(String model, UpstreamResult result) {
    if (settings.enabled()) {
      breaker(model).record(result);
    }
  }

  /** The state of the model's breaker ({@link BreakerState#CLOSED} when off or never used). */
  public BreakerState state(String model) {
    CircuitBreaker b = breakers.get(model);
    return b == null ? BreakerState.CLOSED : b.state();
  }

  /** Every breaker used so far, by model name. */
  public List<BreakerSnapshot> snapshot() {
    List<BreakerSnapshot> out = new ArrayList<>();
    breakers.values().forEach(b -> out.add(b.snapshot()));
    out.sort(Comparator.comparing(BreakerSnapshot::model));
    return out;
  }

  private CircuitBreaker breaker(String model) {
    return breakers.computeIfAbsent(model, m -> new CircuitBreaker(m, settings, millis, listener));
  }
}

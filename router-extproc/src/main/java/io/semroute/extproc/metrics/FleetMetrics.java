package io.semroute.extproc.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.semroute.extproc.limits.BreakerListener;
import io.semroute.extproc.limits.LoggedBreakerListener;

/**
 * Metrics of a shared fleet: circuit breakers (transitions, state per model), the limit store's
 * failures, requests refused with 429 and {@code auto} requests moved off a model (shed), and
 * fallbacks to another model.
 */
public final class FleetMetrics {
  final Counter breakerTransitions;
  final Gauge breakerState;
  final Counter storeFailures;
  final Counter rateLimited;
  final Counter sheds;
  final Counter fallbacks;

  FleetMetrics(PrometheusRegistry registry) {
    breakerTransitions =
        Counter.builder()
            .name("llm_circuit_breaker_transitions_total")
            .help("Circuit breaker state changes by model, from and to state")
            .labelNames("model", "from", "to")
            .register(registry);
    breakerState =
        Gauge.builder()
            .name("llm_circuit_breaker_state")
            .help("Circuit breaker state by model: 0 closed, 1 open, 2 half_open")
            .labelNames("model")
            .register(registry);
    storeFailures =
        Counter.builder()
            .name("llm_rate_limit_store_failures_total")
            .help("Calls the rate-limit counter store (memory or Redis) could not answer")
            .register(registry);
    rateLimited =
        Counter.builder()
            .name("llm_rate_limited_total")
            .help(
                "Requests answered 429 by the router, by reason (tenant_limit, model_limit,"
                    + " store_unavailable)")
            .labelNames("reason")
            .register(registry);
    sheds =
        Counter.builder()
            .name("llm_model_sheds_total")
            .help(
                "auto requests moved off their model, by model and reason (breaker_open, at_limit)")
            .labelNames("model", "reason")
            .register(registry);
    fallbacks =
        Counter.builder()
            .name("llm_fallbacks_total")
            .help("Failed attempts retried on another model, by the model that failed")
            .labelNames("from")
            .register(registry);
  }

  /** A breaker changed state; {@code to} is 0 closed, 1 open, 2 half_open. */
  public void breakerChanged(String model, String from, String to, int toOrdinal) {
    breakerTransitions.labelValues(model, from, to).inc();
    breakerState.labelValues(model).set(toOrdinal);
  }

  /** What {@code serve} tells of every breaker state change: a log line and these metrics. */
  public BreakerListener breakerListener() {
    return new LoggedBreakerListener(
        (model, from, to, reason) -> breakerChanged(model, from.label(), to.label(), to.ordinal()));
  }

  public void storeFailure() {
    storeFailures.inc();
  }

  public void rateLimited(String reason) {
    rateLimited.labelValues(reason).inc();
  }

  public void shed(String model, String reason) {
    sheds.labelValues(model, reason).inc();
  }

  public void fallback(String from) {
    fallbacks.labelValues(from).inc();
  }
}

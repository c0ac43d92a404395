package io.semroute.extproc.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Every metric the router exports, in one Prometheus registry of its own (so tests can run several
 * routers in one JVM). Names follow the reference router; label values are bounded by the caller:
 * configured model, category and classifier names, and small fixed sets for {@code reason}, {@code
 * outcome}, {@code action} and {@code result}. Never prompt text or request ids.
 */
public final class RouterMetrics {
  /** Latency buckets from 1 ms to 60 s: classifiers take ms, routing tens of ms, TTFT seconds. */
  private static final double[] LATENCY_BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final FleetMetrics fleet = new FleetMetrics(registry);

  final Counter requests =
      Counter.builder()
          .name("llm_model_requests_total")
          .help("Routed-path requests by selected model, category, decision reason and outcome")
          .labelNames("model", "category", "reason", "outcome")
          .register(registry);
  final Histogram routingLatency =
      histogram(
          "llm_model_routing_latency_seconds",
          "Time from the request body to the routing reply (parse, classify, guards, mutate)",
          LATENCY_BUCKETS);
  final Histogram classifierLatency =
      histogram(
          "llm_classifier_latency_seconds",
          "One text through a classifier: queue wait plus its batch's compute time",
          LATENCY_BUCKETS,
          "classifier");
  final Counter promptTokens =
      Counter.builder()
          .name("llm_model_prompt_tokens_total")
          .help("Prompt tokens reported by the backends' usage")
          .labelNames("model")
          .register(registry);
  final Counter completionTokens =
      Counter.builder()
          .name("llm_model_completion_tokens_total")
          .help("Completion tokens reported by the backends' usage")
          .labelNames("model")
          .register(registry);
  final Counter cost =
      Counter.builder()
          .name("llm_model_cost_total")
          .help("Cost from usage and the configured pricing (per currency)")
          .labelNames("model", "currency")
          .register(registry);
  final Histogram ttft =
      histogram(
          "llm_model_ttft_seconds",
          "Streamed responses: time from the request body to the first response body chunk",
          LATENCY_BUCKETS,
          "model");
  final Counter cacheHits =
      Counter.builder().name("llm_cache_hits_total").help("Semantic cache hits").register(registry);
  final Counter cacheMisses =
      Counter.builder()
          .name("llm_cache_misses_total")
          .help("Semantic cache misses")
          .register(registry);
  final Counter piiViolations =
      Counter.builder()
          .name("llm_pii_violations_total")
          .help("Requests in which PII was found, by the action taken")
          .labelNames("action")
          .register(registry);
  final Counter jailbreakActions =
      Counter.builder()
          .name("llm_jailbreak_actions_total")
          .help("Jailbreak guard detections, by the action taken")
          .labelNames("action")
          .register(registry);
  final Counter requestErrors =
      Counter.builder()
          .name("llm_request_errors_total")
          .help("Requests that ended in an error, by reason")
          .labelNames("reason")
          .register(registry);
  final Histogram batchSize =
      histogram(
          "llm_classifier_batch_size",
          "Texts per classifier batch run",
          BATCH_BUCKETS,
          "classifier");
  final Histogram queueWait =
      histogram(
          "llm_classifier_queue_wait_seconds",
          "Time a text waited in a classifier's batch queue",
          LATENCY_BUCKETS,
          "classifier");
  final Counter rejections =
      Counter.builder()
          .name("llm_classifier_rejections_total")
          .help("Texts refused because a classifier's queue was full")
          .labelNames("classifier")
          .register(registry);
  final Counter configReloads =
      Counter.builder()
          .name("llm_config_reloads_total")
          .help("Config hot reloads by result (success, failure)")
          .labelNames("result")
          .register(registry);

  /** The router's metrics plus the JVM and process metrics. */
  public RouterMetrics() {
    JvmMetrics.builder().register(registry);
    // Series that should exist from the start (rate() over a counter that appears late misses
    // its first increment; alerts on failures need the series at 0).
    configReloads.labelValues("success");
    configReloads.labelValues("failure");
  }

  private Histogram histogram(String name, String help, double[] buckets, String... labels) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .classicOnly()
        .classicUpperBounds(buckets)
        .labelNames(labels)
        .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** Circuit breakers, rate limits, sheds and fallbacks. */
  public FleetMetrics fleet() {
    return fleet;
  }

  // ---- what the request path reports -----------------------------------------------------

  /** One routed-path request ended. {@code outcome}: routed, blocked, cached or error. */
  public void request(String model, String category, String reason, String outcome) {
    requests.labelValues(model, category, reason, outcome).inc();
  }

  public void routingLatency(double seconds) {
    routingLatency.observe(seconds);
  }

  public void timeToFirstToken(String model, double seconds) {
    ttft.labelValues(model).observe(seconds);
  }

  /** Tokens and, when the model has pricing, cost. */
  public void usage(
      String model, long prompt, long completion, double costOrNegative, String currency) {
    promptTokens.labelValues(model).inc(prompt);
    completionTokens.labelValues(model).inc(completion);
    if (costOrNegative >= 0) {
      cost.labelValues(model, currency).inc(costOrNegative);
    }
  }

  public void cacheHit() {
    cacheHits.inc();
  }

  public void cacheMiss() {
    cacheMisses.inc();
  }

  public void piiViolation(String action) {
    piiViolations.labelValues(action).inc();
  }

  public void jailbreakAction(String action) {
    jailbreakActions.labelValues(action).inc();
  }

  public void requestError(String reason) {
    requestErrors.labelValues(reason).inc();
  }

  public void configReload(boolean success) {
    configReloads.labelValues(success ? "success" : "failure").inc();
  }

  // ---- classifiers ----------------------------------------------------------------------

  /** One batch run of a classifier: its size, each text's queue wait and latency. */
  public void classifierBatch(String classifier, long[] queueWaitNanos, long computeNanos) {
    batchSize.labelValues(classifier).observe(queueWaitNanos.length);
    for (long wait : queueWaitNanos) {
      queueWait.labelValues(classifier).observe(wait / 1e9);
      classifierLatency.labelValues(classifier).observe((wait + computeNanos) / 1e9);
    }
  }

  public void classifierRejected(String classifier) {
    rejections.labelValues(classifier).inc();
  }

  /** The exposition text Prometheus scrapes (for tests and the HTTP API's debugging). */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}

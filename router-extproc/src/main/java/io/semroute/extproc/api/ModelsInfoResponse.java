package io.semroute.extproc.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import io.semroute.extproc.limits.BreakerSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /info/models}: the classifiers the config uses, the models routed to and their
 * backends, the default model and the categories.
 *
 * @param classifiers as {@code ClassifierInfo} describes them
 */
record ModelsInfoResponse(
    List<Map<String, Object>> classifiers,
    List<Model> models,
    String defaultModel,
    List<String> categories) {

  /**
   * @param reasoningFamily absent when the model has none
   * @param backends names of the backends that serve the model
   * @param circuitBreaker the model's breaker; absent without {@code resilience.circuit_breaker}
   */
  record Model(
      String name,
      @JsonInclude(Include.NON_NULL) String reasoningFamily,
      List<String> backends,
      @JsonInclude(Include.NON_NULL) Breaker circuitBreaker) {

    Model(String name, String reasoningFamily, List<String> backends) {
      this(name, reasoningFamily, backends, null);
    }
  }

  /**
   * @param state closed, open or half_open
   * @param consecutiveFailures failures in the current run
   * @param openedAt when it last opened (ISO-8601), absent when it never did
   * @param probeAt when an open breaker lets its probe through (ISO-8601), absent when closed
   */
  record Breaker(
      String state,
      int consecutiveFailures,
      @JsonInclude(Include.NON_NULL) String openedAt,
      @JsonInclude(Include.NON_NULL) String probeAt) {

    static Breaker of(BreakerSnapshot s) {
      return new Breaker(
          s.state().label(),
          s.consecutiveFailures(),
          s.openedAtMillis() == 0 ? null : Instant.ofEpochMilli(s.openedAtMillis()).toString(),
          s.probeAtMillis() == 0 ? null : Instant.ofEpochMilli(s.probeAtMillis()).toString());
    }
  }
}

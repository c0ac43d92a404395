package io.semroute.extproc.decision;

import java.util.Locale;

/**
 * Why a request went where it did, as a bounded label (metrics, decision log, classification API).
 */
public enum DecisionReason {
  /** The client named a configured model. */
  EXPLICIT,
  /** A {@code decisions:} entry matched. */
  DECISION,
  /** A category's model scores chose. */
  CATEGORY,
  /** No category signal: the default model. */
  DEFAULT,
  /** The category classifier failed: the default model. */
  CLASSIFICATION_FAILED,
  /** No decision was made (the request was refused or answered before deciding). */
  NONE;

  public static DecisionReason of(RoutingDecision d) {
    if (d == null) {
      return NONE;
    }
    if (d.explicit()) {
      return EXPLICIT;
    }
    if (d.decision() != null) {
      return DECISION;
    }
    if (d.category() != null) {
      return CATEGORY;
    }
    return d.reason() != null && d.reason().contains("classification failed")
        ? CLASSIFICATION_FAILED
        : DEFAULT;
  }

  /** The label in metrics and logs: {@code explicit}, {@code classification_failed}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

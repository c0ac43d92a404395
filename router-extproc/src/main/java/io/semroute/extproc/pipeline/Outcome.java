package io.semroute.extproc.pipeline;

import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.guard.Screening;

/**
 * What became of a routed-path request, in the bounded vocabulary metrics and decision logs share:
 * {@code outcome} (routed, blocked, cached, error), the decision {@code reason} as a label
 * (explicit, decision, category, default, classification_failed, none) and an error {@code reason}
 * (bad_request, guard_unavailable, internal, upstream_4xx, upstream_5xx, cancelled) or null.
 */
public record Outcome(String outcome, String reason, String error) {
  public static final String ROUTED = "routed";
  public static final String BLOCKED = "blocked";
  public static final String CACHED = "cached";
  public static final String ERROR = "error";

  public static Outcome of(RequestContext ctx, boolean cancelled) {
    String reason = reasonLabel(ctx.decision());
    Screening screening = ctx.screeningIfDone();
    int immediate = ctx.immediateStatus();
    if (immediate != 0) {
      if (ctx.cacheHit()) {
        return new Outcome(CACHED, reason, null);
      }
      if (screening != null && screening.jailbreak().blocked()
          || "blocked".equals(ctx.piiAction())) {
        return new Outcome(BLOCKED, reason, null);
      }
      if (screening != null && screening.guardUnavailable()) {
        return new Outcome(ERROR, reason, "guard_unavailable");
      }
      return new Outcome(ERROR, reason, immediate >= 500 ? "internal" : "bad_request");
    }
    if (ctx.routedDecision() == null) {
      return new Outcome(ERROR, reason, cancelled ? "cancelled" : "internal");
    }
    int status = ctx.responseStatus();
    if (status >= 500) {
      return new Outcome(ROUTED, reason, "upstream_5xx");
    }
    if (status >= 400) {
      return new Outcome(ROUTED, reason, "upstream_4xx");
    }
    if (cancelled) {
      return new Outcome(ROUTED, reason, "cancelled");
    }
    return new Outcome(ROUTED, reason, null);
  }

  /** The decision's reason as a bounded label. */
  public static String reasonLabel(RoutingDecision d) {
    if (d == null) {
      return "none";
    }
    if (d.explicit()) {
      return "explicit";
    }
    if (d.decision() != null) {
      return "decision";
    }
    if (d.category() != null) {
      return "category";
    }
    return d.reason() != null && d.reason().contains("classification failed")
        ? "classification_failed"
        : "default";
  }
}

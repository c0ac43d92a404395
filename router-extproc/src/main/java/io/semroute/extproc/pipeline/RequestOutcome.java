package io.semroute.extproc.pipeline;

import io.semroute.extproc.guard.Screening;
import java.util.Locale;

/**
 * What became of a request, in the bounded vocabulary metrics and the decision log share ({@code
 * routed}, {@code blocked}, {@code cached}, {@code error}).
 */
public enum RequestOutcome {
  /** Forwarded to a model with a decision (whatever the upstream answered). */
  ROUTED,
  /** Refused by a guard (jailbreak) or a PII policy. */
  BLOCKED,
  /** Answered from the semantic cache. */
  CACHED,
  /** Answered by the router with an error, or never routed on the routed path. */
  ERROR,
  /**
   * A path the router does not route (model list, pass-through): listeners only; metrics and the
   * decision log see the routed path.
   */
  UNROUTED;

  /** The outcome of a request on the routed path. */
  static RequestOutcome of(RequestContext ctx) {
    if (ctx.immediateStatus() != 0) {
      Screening screening = ctx.screeningIfDone();
      if (ctx.cacheHit()) {
        return CACHED;
      }
      if (screening != null && screening.jailbreak().blocked()
          || ctx.piiAction() == PiiAction.BLOCKED) {
        return BLOCKED;
      }
      return ERROR;
    }
    return ctx.routedDecision() == null ? ERROR : ROUTED;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

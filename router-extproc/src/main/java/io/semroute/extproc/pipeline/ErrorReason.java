package io.semroute.extproc.pipeline;

import io.semroute.extproc.guard.Screening;
import java.util.Locale;

/** Why a request ended in an error, as a bounded label ({@code llm_request_errors_total}). */
public enum ErrorReason {
  /** The router answered a client error (bad body, unknown model). */
  BAD_REQUEST,
  /** The jailbreak guard could not answer and {@code on_error: block} refused. */
  GUARD_UNAVAILABLE,
  /** The router answered 429: a tenant budget or every candidate model's limit was reached. */
  RATE_LIMITED,
  /** The router answered a server error, or never routed the request. */
  INTERNAL,
  UPSTREAM_4XX,
  UPSTREAM_5XX,
  /** The stream ended with an error instead of a clean close. */
  CANCELLED;

  /** The error of a routed-path request with this outcome, or null when there was none. */
  static ErrorReason of(RequestContext ctx, RequestOutcome outcome, boolean cancelled) {
    return switch (outcome) {
      case CACHED, BLOCKED, UNROUTED -> null;
      case ERROR -> {
        int immediate = ctx.immediateStatus();
        if (immediate == 0) {
          yield cancelled ? CANCELLED : INTERNAL;
        }
        if (ctx.limitHold() != null && ctx.limitHold().refusedBy() != null) {
          yield RATE_LIMITED;
        }
        Screening screening = ctx.screeningIfDone();
        if (screening != null && screening.guardUnavailable()) {
          yield GUARD_UNAVAILABLE;
        }
        yield immediate >= 500 ? INTERNAL : BAD_REQUEST;
      }
      case ROUTED -> {
        int status = ctx.responseStatus();
        if (status >= 500) {
          yield UPSTREAM_5XX;
        }
        if (status >= 400) {
          yield UPSTREAM_4XX;
        }
        yield cancelled ? CANCELLED : null;
      }
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

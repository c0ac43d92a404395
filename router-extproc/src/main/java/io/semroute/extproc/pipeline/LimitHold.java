package io.semroute.extproc.pipeline;

import io.semroute.extproc.limits.FleetLimits;
import io.semroute.extproc.limits.ModelPermit;
import io.semroute.extproc.limits.RateLimitHeaders;
import io.semroute.extproc.limits.Reservation;
import io.semroute.extproc.limits.UpstreamResult;
import io.semroute.extproc.openai.Usage;
import java.util.ArrayList;
import java.util.List;

/**
 * What one request holds of the limits, from {@link LimitStage} to the end of its stream: the
 * tenant reservation and the model permit (settled with the answer's real usage, the permit's slot
 * given back when the stream ends), the {@code x-ratelimit-*} numbers for the answer, the models it
 * was moved off and why, and whether the upstream's answer was counted by the model's breaker.
 */
public final class LimitHold {
  private final FleetLimits limits;
  private final List<String> shed = new ArrayList<>();
  private String model;
  private Reservation reservation = Reservation.NONE;
  private ModelPermit permit;
  private RateLimitHeaders headers;
  private String refusedBy;
  private String fallbackFrom;
  private boolean settled;
  private boolean recorded;
  private boolean closed;
  private boolean bodyEnded;

  LimitHold(FleetLimits limits) {
    this.limits = limits;
  }

  /** The model the request went to (the breaker's and the permit's), or null. */
  public String model() {
    return model;
  }

  void model(String model) {
    this.model = model;
  }

  /** The models moved off, each as {@code model=reason} (e.g. {@code big=breaker_open}). */
  public List<String> shed() {
    return List.copyOf(shed);
  }

  void shed(String from, String reason) {
    shed.add(from + "=" + reason);
  }

  /** Why the router answered 429 ({@code tenant_limit:<rule>}, {@code model_limit}), or null. */
  public String refusedBy() {
    return refusedBy;
  }

  void refusedBy(String why) {
    this.refusedBy = why;
  }

  /** On a retry: the models that failed before (comma-separated), else null. */
  public String fallbackFrom() {
    return fallbackFrom;
  }

  void fallbackFrom(String models) {
    this.fallbackFrom = models;
  }

  void permit(ModelPermit permit) {
    this.permit = permit;
  }

  void admitted(Reservation reservation, RateLimitHeaders headers) {
    this.reservation = reservation;
    this.headers = headers;
  }

  /** The rate-limit numbers of the tightest budgets that applied, or null. */
  public RateLimitHeaders headers() {
    return headers;
  }

  /** The model's breaker counts the upstream's answer (once per request). */
  void recordUpstream(UpstreamResult result) {
    if (!recorded && model != null) {
      recorded = true;
      limits.breakers().record(model, result);
    }
  }

  /** Replaces the token estimates with the answer's real count (once). */
  void settle(long actualTokens) {
    if (settled) {
      return;
    }
    settled = true;
    if (limits.rateLimiter() != null) {
      limits.rateLimiter().settle(reservation, actualTokens);
    }
    if (permit != null && limits.models() != null) {
      limits.models().settle(permit, actualTokens);
    }
  }

  /** The response body reached its end of stream. */
  void bodyEnded() {
    this.bodyEnded = true;
  }

  /**
   * The stream ended: the permit's slot goes back; an answer that never came, or a stream that
   * ended without its last event, counts as a reset for the breaker (a whole stream as its status);
   * tokens not settled from usage are settled now (0 for an upstream error, which used none; the
   * estimate stands for a success without usage).
   */
  void close(RequestContext ctx) {
    if (closed) {
      return;
    }
    closed = true;
    if (ctx.routedDecision() != null) {
      int status = ctx.responseStatus();
      if (status == 0) {
        recordUpstream(UpstreamResult.RESET);
      } else if (ctx.responseStreamed() && status < 400) {
        // a stream is counted when it ends: a success only when it came whole, else a reset
        UpstreamResult result =
            bodyEnded && ctx.responseComplete()
                ? UpstreamResult.ofStatus(status)
                : UpstreamResult.RESET;
        if (ctx.attemptModel() == null) {
          recordUpstream(result);
        } else if (!recorded) {
          // Envoy retried: the stream came from the model of the attempt that answered
          recorded = true;
          limits.breakers().record(ctx.attemptModel(), result);
        }
      }
      Usage usage = ctx.usage();
      if (usage != null) {
        settle(usage.promptTokens() + usage.completionTokens());
      } else if (status == 0 || status >= 400) {
        settle(0);
      }
    }
    if (permit != null && limits.models() != null) {
      limits.models().release(permit);
    }
  }
}

package io.semroute.extproc.pipeline;

import io.semroute.config.RouterConfig;
import io.semroute.extproc.attempt.AttemptHeaders;
import io.semroute.extproc.attempt.AttemptPlan;
import io.semroute.extproc.decision.PromptSignals;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.limits.FallbackPolicy;
import io.semroute.extproc.limits.FleetLimits;
import io.semroute.extproc.limits.ModelPermit;
import io.semroute.extproc.limits.RateLimitHeaders;
import io.semroute.extproc.limits.RateLimitResult;
import io.semroute.extproc.limits.RateLimiter;
import io.semroute.extproc.metrics.FleetMetrics;
import io.semroute.extproc.openai.ParsedRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * limit, after the PII policy and before mutate (so after a cache miss, and only for requests that
 * will be forwarded):
 *
 * <ol>
 *   <li>An {@code auto} request skips candidates whose circuit breaker is open or that are at their
 *       {@code models.<m>.limits}, moving to the next candidate the PII policy allows ({@link
 *       Candidates}); {@code x-vsr-shed} and the decision log say which models it left and why.
 *       With every candidate at its limit it is answered 429; with every candidate's breaker open
 *       it goes to its decided model anyway (an attempt beats a certain refusal). A request that
 *       named a model at its limit is answered 429.
 *   <li>The tenant's {@code rate_limits:} budgets are charged (one request, the prompt estimate);
 *       over a budget the answer is 429 with {@code retry-after} and the {@code x-ratelimit-*}
 *       headers. Admitted requests carry those headers on their answer ({@link LimitAccountStage}).
 * </ol>
 *
 * A retry of a failed attempt ({@link #FALLBACK_EXCLUDE_HEADER}, set by the gateway) leaves the
 * models tried out of the candidates when {@code resilience.fallback} allows another attempt, and
 * its answer says {@link #FALLBACK_FROM_HEADER}. 429s are OpenAI-style error bodies.
 */
public final class LimitStage implements RequestStage {
  private static final Logger log = LoggerFactory.getLogger(LimitStage.class);

  /** Response header: the models an {@code auto} request was moved off, {@code model=reason}. */
  public static final String SHED_HEADER = "x-vsr-shed";

  /** Response header of a 429 from the router: which limit refused it. */
  public static final String RATE_LIMITED_HEADER = "x-vsr-rate-limited";

  /**
   * Request header a gateway sets on a retry: the models already tried (comma-separated). The
   * request then goes to the next candidate not tried ({@code resilience.fallback}); the backend
   * never sees the header.
   */
  public static final String FALLBACK_EXCLUDE_HEADER = RoutingHeaders.FALLBACK_EXCLUDE;

  /** Response header of a retried request: the models that failed before. */
  public static final String FALLBACK_FROM_HEADER = "x-vsr-fallback-from";

  static final String FAILED = "failed";
  static final String BREAKER_OPEN = "breaker_open";
  static final String AT_LIMIT = "at_limit";

  private final FleetMetrics metrics;

  /**
   * @param metrics where sheds and 429s are counted, or null
   */
  public LimitStage(FleetMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public boolean appliesTo(RequestContext ctx) {
    return ctx.snapshot().limits().active();
  }

  @Override
  public StageResult apply(RequestContext ctx) {
    FleetLimits limits = ctx.snapshot().limits();
    LimitHold hold = new LimitHold(limits);
    ctx.limitHold(hold);
    RoutingDecision decision = ctx.decision();
    RoutingDecision base = decision;
    long estimate = estimate(ctx.clientTexts());

    String model = null;
    ModelPermit permit = null;
    boolean anyAtLimit = false;
    List<String> candidates = candidates(ctx, limits, hold);
    for (String m : candidates) {
      if (!decision.explicit() && !limits.breakers().available(m)) {
        shed(hold, m, BREAKER_OPEN);
        continue;
      }
      ModelPermit p = limits.models() == null ? null : limits.models().tryAcquire(m, estimate);
      if (limits.models() != null && p == null) {
        anyAtLimit = true;
        shed(hold, m, AT_LIMIT);
        continue;
      }
      if (!decision.explicit() && !limits.breakers().tryAcquire(m)) {
        // another request took the half-open probe meanwhile
        giveBack(limits, p);
        shed(hold, m, BREAKER_OPEN);
        continue;
      }
      model = m;
      permit = p;
      break;
    }
    if (model == null) {
      if (anyAtLimit) {
        return refuse(
            ctx,
            hold,
            "model_limit",
            1,
            null,
            decision.explicit()
                ? "model '" + decision.model() + "' is at its rate limit; retry shortly"
                : "every model that could answer this request is at its rate limit; retry shortly");
      }
      // every breaker open: try the first candidate (the decided model) all the same
      model = candidates.isEmpty() ? decision.model() : candidates.get(0);
    }
    hold.model(model);
    hold.permit(permit);
    if (!model.equals(decision.model())) {
      String why = "shed " + String.join(", ", hold.shed());
      log.info("request {}: {} -> {} ({})", ctx.requestId(), decision.model(), model, why);
      decision = Candidates.moveTo(ctx, decision, model, why);
      ctx.decision(decision);
    }

    RateLimiter rl = limits.rateLimiter();
    if (rl != null) {
      String tenant = rl.tenantKey(ctx.requestHeader(rl.settings().tenantHeader()));
      RateLimitResult r = rl.admit(tenant, model, decision.decision(), estimate);
      if (!r.admitted()) {
        giveBack(limits, permit);
        hold.permit(null);
        boolean store = RateLimitResult.STORE_UNAVAILABLE.equals(r.rejectedBy());
        return refuse(
            ctx,
            hold,
            store ? "store_unavailable" : "tenant_limit:" + r.rejectedBy(),
            r.retryAfterSeconds(),
            r.headers(),
            store
                ? "rate limits cannot be checked right now; retry shortly"
                : "rate limit of rule '"
                    + r.rejectedBy()
                    + "' reached; retry in "
                    + r.retryAfterSeconds()
                    + " s");
      }
      hold.admitted(r.reservation(), r.headers());
    }
    planAttempts(ctx, limits, hold, base);
    return StageResult.proceed();
  }

  /**
   * For Envoy's retries ({@code deploy/envoy/envoy.yaml}'s fallback routes): the models later
   * attempts may go to, in {@link AttemptHeaders#CHAIN} (which the routes match) and {@link
   * AttemptHeaders#PLAN} (what the upstream pass rewrites the body with). Only when {@code
   * resilience.fallback} allows another attempt for this request; never with a gateway's own retry
   * ({@link #FALLBACK_EXCLUDE_HEADER}). The candidates are those the PII policy allows, without the
   * models shed and (for {@code auto} requests) those whose breaker is open; a Messages or
   * Responses request only moves between models whose backends serve its API the same way (natively
   * or translated to Chat Completions), since the answer is read in the form the request was sent
   * in.
   */
  private static void planAttempts(
      RequestContext ctx, FleetLimits limits, LimitHold hold, RoutingDecision base) {
    FallbackPolicy fallback = limits.fallback();
    RoutingDecision decision = ctx.decision();
    List<AttemptPlan.Attempt> attempts = new ArrayList<>();
    attempts.add(
        new AttemptPlan.Attempt(
            decision.model(), decision.reasoning(), decision.reasoningEffort()));
    if (fallback.enabled()
        && ctx.requestHeader(FALLBACK_EXCLUDE_HEADER) == null
        && (!decision.explicit() || fallback.onExplicitModel())) {
      Set<String> shed = new HashSet<>();
      for (String s : hold.shed()) {
        shed.add(s.substring(0, Math.max(0, s.lastIndexOf('='))));
      }
      RouterConfig cfg = ctx.snapshot().config();
      boolean nativeFirst =
          ctx.agentApi() && MutateStage.servedNatively(cfg, decision.model(), ctx.api());
      for (String m : Candidates.of(cfg, base, ctx.pii(), fallback.onExplicitModel())) {
        if (attempts.size() >= fallback.maxAttempts()) {
          break;
        }
        if (m.equals(decision.model())
            || shed.contains(m)
            || (!decision.explicit() && !limits.breakers().available(m))
            || (ctx.agentApi() && MutateStage.servedNatively(cfg, m, ctx.api()) != nativeFirst)) {
          continue;
        }
        RoutingDecision moved = Candidates.moveTo(ctx, base, m, "fallback");
        attempts.add(new AttemptPlan.Attempt(m, moved.reasoning(), moved.reasoningEffort()));
      }
    }
    if (attempts.size() < 2) {
      return; // a client's own chain and plan were removed with its request headers
    }
    AttemptPlan plan = new AttemptPlan(attempts);
    ctx.mutations().set(AttemptHeaders.CHAIN, plan.chain()).set(AttemptHeaders.PLAN, plan.encode());
  }

  /**
   * The request's candidates, best first; on a retry ({@link #FALLBACK_EXCLUDE_HEADER}) without the
   * models tried, when the fallback rule allows another attempt (else the header is ignored).
   */
  private List<String> candidates(RequestContext ctx, FleetLimits limits, LimitHold hold) {
    RouterConfig cfg = ctx.snapshot().config();
    RoutingDecision decision = ctx.decision();
    FallbackPolicy fallback = limits.fallback();
    String header = ctx.requestHeader(FALLBACK_EXCLUDE_HEADER);
    if (header == null || !fallback.enabled()) {
      return Candidates.of(cfg, decision, ctx.pii());
    }
    List<String> all = Candidates.of(cfg, decision, ctx.pii(), fallback.onExplicitModel());
    List<String> tried = new ArrayList<>();
    for (String m : header.split(",")) {
      if (cfg.model(m.strip()).isPresent() && !tried.contains(m.strip())) {
        tried.add(m.strip());
      }
    }
    Optional<String> next = fallback.next(all, tried, decision.explicit(), m -> true);
    if (tried.isEmpty() || next.isEmpty()) {
      return Candidates.of(cfg, decision, ctx.pii());
    }
    for (String t : tried) {
      hold.shed(t, FAILED);
    }
    hold.fallbackFrom(String.join(",", tried));
    if (metrics != null) {
      metrics.fallback(tried.get(tried.size() - 1));
    }
    return all.stream().filter(m -> !tried.contains(m)).toList();
  }

  /** A rough prompt size: what the token budgets are charged until the answer's usage is known. */
  static long estimate(ParsedRequest request) {
    return estimate(request.clientTexts());
  }

  /** The prompt's tokens from every client-supplied text (any API). */
  static long estimate(List<ParsedRequest.ClientText> texts) {
    return PromptSignals.tokens(texts.stream().map(ParsedRequest.ClientText::text).toList());
  }

  private void shed(LimitHold hold, String model, String reason) {
    hold.shed(model, reason);
    if (metrics != null) {
      metrics.shed(model, reason);
    }
  }

  private static void giveBack(FleetLimits limits, ModelPermit permit) {
    if (permit != null) {
      limits.models().settle(permit, 0);
      limits.models().release(permit);
    }
  }

  private StageResult refuse(
      RequestContext ctx,
      LimitHold hold,
      String why,
      long retryAfterSeconds,
      RateLimitHeaders headers,
      String message) {
    hold.refusedBy(why);
    String label = why.startsWith("tenant_limit") ? "tenant_limit" : why;
    if (metrics != null) {
      metrics.rateLimited(label);
    }
    log.info("request {}: 429 ({})", ctx.requestId(), why);
    Mutations reply =
        new Mutations()
            .set("retry-after", Long.toString(Math.max(1, retryAfterSeconds)))
            .set(RATE_LIMITED_HEADER, label);
    if (!hold.shed().isEmpty()) {
      reply.set(SHED_HEADER, String.join(", ", hold.shed()));
    }
    if (headers != null) {
      headers.toHeaders().forEach(reply::set);
    }
    return StageResult.answer(
        429,
        reply.immediateJson(
            429,
            ClientErrors.body(
                ctx.api(), 429, message, "rate_limit_exceeded", null, "rate_limit_exceeded"),
            "semantic-router: rate limited"));
  }
}

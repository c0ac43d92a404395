package io.semroute.extproc.pipeline;

import io.opentelemetry.api.trace.SpanContext;
import io.semroute.config.ModelSpec;
import io.semroute.extproc.cache.SemanticCache;
import io.semroute.extproc.decision.DecisionReason;
import io.semroute.extproc.decision.RequestSignals;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.guard.PiiFindings;
import io.semroute.extproc.guard.Screening;
import io.semroute.extproc.openai.Usage;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What happened to one request, computed once when its stream ends: the decision log writes it,
 * metrics and the stream's span read it, {@link RequestListener}s receive it. A new fact about a
 * request goes here, and every reader sees it.
 *
 * @param requestId {@code x-request-id}, or null
 * @param method {@code :method}, or null
 * @param path {@code :path} without the query string
 * @param outcome what became of the request
 * @param error why it ended in an error, or null
 * @param decision what the stages decided, or null when no decision was made; also set when the
 *     router then answered itself (a refusal): see {@link #routedDecision()}
 * @param stream whether the client asked for {@code stream: true}; null when the body was not
 *     parsed
 * @param screening the guards' verdict, or null when no stage waited for it
 * @param pii the PII types found (never values)
 * @param piiAction what happened because of the PII found, or null when none was found
 * @param jailbreakMark how a request the jailbreak guard let through was marked, or null
 * @param cacheLookedUp whether the semantic cache was consulted
 * @param cacheHit whether the router answered from the cache
 * @param cacheAnswer the cache's hit (its tier, similarity and check) when it answered, or null
 * @param immediateStatus the status of the router's own answer, or 0 when it forwarded
 * @param responseStatus the upstream response's status, or 0 when none was seen
 * @param responseStreamed whether the response came back STREAMED (SSE)
 * @param usage token usage read from the response, or null
 * @param cost the usage at the model's pricing; null when not routed, no usage or no pricing
 * @param timings where the time went
 * @param traceId the stream span's trace id, or null when tracing is off
 * @param prompts the user texts, only with {@code logging.include_prompts: true}; else null
 * @param cancelled true when the stream ended with an error instead of a clean close
 * @param shed the models an {@code auto} request was moved off, as {@code model=reason} (open
 *     breaker, model at its limit); empty when none
 * @param rateLimited why the router answered 429 ({@code tenant_limit:<rule>}, {@code model_limit},
 *     {@code store_unavailable}), or null
 */
public record RequestSummary(
    String requestId,
    String method,
    String path,
    RequestOutcome outcome,
    ErrorReason error,
    RoutingDecision decision,
    Boolean stream,
    Screening screening,
    PiiFindings pii,
    PiiAction piiAction,
    JailbreakMark jailbreakMark,
    boolean cacheLookedUp,
    boolean cacheHit,
    SemanticCache.Hit cacheAnswer,
    int immediateStatus,
    int responseStatus,
    boolean responseStreamed,
    Usage usage,
    Cost cost,
    StageTimings timings,
    String traceId,
    List<String> prompts,
    boolean cancelled,
    List<String> shed,
    String rateLimited) {

  /** A routed-path request whose stream just ended. */
  static RequestSummary of(RequestContext ctx, boolean cancelled) {
    long end = System.nanoTime();
    RequestOutcome outcome = RequestOutcome.of(ctx);
    RoutingDecision decision = ctx.decision();
    Usage usage = ctx.usage();
    Cost cost =
        outcome == RequestOutcome.ROUTED
            ? Cost.of(
                usage,
                ctx.snapshot()
                    .config()
                    .model(decision.model())
                    .map(ModelSpec::pricing)
                    .orElse(null))
            : null;
    SpanContext span = ctx.streamSpan().getSpanContext();
    return new RequestSummary(
        ctx.requestId(),
        ctx.info().method(),
        ctx.info().path(),
        outcome,
        ErrorReason.of(ctx, outcome, cancelled),
        decision,
        ctx.client() == null ? null : ctx.client().stream(),
        ctx.screeningIfDone(),
        ctx.pii(),
        ctx.pii().found() && ctx.piiAction() == null ? PiiAction.ALLOW : ctx.piiAction(),
        ctx.jailbreakMark(),
        ctx.cacheLookedUp(),
        ctx.cacheHit(),
        ctx.cacheAnswered(),
        ctx.immediateStatus(),
        ctx.responseStatus(),
        ctx.responseStreamed(),
        usage,
        cost,
        StageTimings.of(ctx, end),
        span.isValid() ? span.getTraceId() : null,
        ctx.snapshot().config().operations().includePrompts() && ctx.client() != null
            ? ctx.userTexts()
            : null,
        cancelled,
        ctx.limitHold() == null ? List.of() : ctx.limitHold().shed(),
        ctx.limitHold() == null ? null : ctx.limitHold().refusedBy());
  }

  /** A request the router does not route (model list, pass-through). */
  public static RequestSummary unrouted(
      RequestInfo info, int immediateStatus, int responseStatus, boolean cancelled) {
    return new RequestSummary(
        info.requestId(),
        info.method(),
        info.path(),
        RequestOutcome.UNROUTED,
        null,
        null,
        null,
        null,
        PiiFindings.NONE,
        null,
        null,
        false,
        false,
        null,
        immediateStatus,
        responseStatus,
        false,
        null,
        null,
        new StageTimings(
            OptionalLong.empty(),
            Map.of(),
            OptionalLong.empty(),
            System.nanoTime() - info.startNanos()),
        null,
        null,
        cancelled,
        List.of(),
        null);
  }

  /** The decision the request was forwarded with, or null when it was not forwarded with one. */
  public RoutingDecision routedDecision() {
    return outcome == RequestOutcome.ROUTED ? decision : null;
  }

  /** The decided model as a label: {@code none} without a decision. */
  public String model() {
    return decision == null ? "none" : decision.model();
  }

  /** The category as a label: {@code default} when none chose, {@code none} without a decision. */
  public String category() {
    return decision == null ? "none" : decision.categoryLabel();
  }

  public DecisionReason reason() {
    return DecisionReason.of(decision);
  }

  /** The request's signals when the config has decisions, else null. */
  public RequestSignals signals() {
    return decision == null ? null : decision.signals();
  }

  /**
   * What the jailbreak guard did, as {@code llm_jailbreak_actions_total} counts it ({@code block},
   * {@code flag}, {@code unchecked}), or null when it did nothing.
   */
  public String jailbreakAction() {
    if (jailbreakMark != null) {
      return jailbreakMark.action();
    }
    return screening != null && screening.jailbreak().blocked() ? "block" : null;
  }
}

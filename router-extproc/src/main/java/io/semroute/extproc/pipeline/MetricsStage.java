package io.semroute.extproc.pipeline;

import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.openai.Usage;

/**
 * metrics: counts each routed-path request when its stream ends, from its {@link RequestSummary}
 * (model, category, decision reason, outcome), its routing latency, tokens and cost, guard actions
 * and errors; time to first token as soon as a stream's first body message arrives. Label values
 * are configured names or the summary's fixed sets only.
 */
public final class MetricsStage implements ResponseStage {
  private final RouterMetrics metrics;

  public MetricsStage(RouterMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void onBody(RequestContext ctx, byte[] chunk, boolean endOfStream) {
    // RequestPipeline stamps the first body message before the stages run.
    if (ctx.responseSse()
        && ctx.firstResponseBodyNanos() != 0
        && !ctx.ttftSeen()
        && ctx.routedDecision() != null
        && ctx.bodyNanos() != 0) {
      ctx.ttftSeen(true);
      metrics.timeToFirstToken(
          ctx.routedDecision().model(), (ctx.firstResponseBodyNanos() - ctx.bodyNanos()) / 1e9);
    }
  }

  @Override
  public void onEnd(RequestSummary s) {
    metrics.request(s.model(), s.category(), s.reason().label(), s.outcome().label());
    if (s.error() != null) {
      metrics.requestError(s.error().label());
    }
    s.timings().routing().ifPresent(n -> metrics.routingLatency(n / 1e9));
    if (s.cacheLookedUp()) {
      if (s.cacheHit()) {
        metrics.cacheHit();
      } else {
        metrics.cacheMiss();
      }
    }
    if (s.jailbreakAction() != null) {
      metrics.jailbreakAction(s.jailbreakAction());
    }
    if (s.piiAction() != null) {
      metrics.piiViolation(s.piiAction().label());
    }
    Usage usage = s.usage();
    if (usage != null && s.routedDecision() != null) {
      metrics.usage(
          s.model(),
          usage.promptTokens(),
          usage.completionTokens(),
          s.cost() == null ? -1 : s.cost().amount(),
          s.cost() == null ? null : s.cost().currency());
    }
  }
}

package io.semroute.extproc.pipeline;

import io.semroute.config.ModelSpec;
import io.semroute.config.Pricing;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.guard.Screening;
import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.openai.Usage;

/**
 * metrics: counts each routed-path request when its stream ends (model, category, decision reason,
 * outcome), its routing latency, time to first token for streams, tokens and cost from {@code
 * usage} and the model's {@code pricing}, guard actions and errors. Label values are configured
 * names or {@link Outcome}'s fixed sets only.
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
  public void onEnd(RequestContext ctx, boolean cancelled) {
    Outcome outcome = Outcome.of(ctx, cancelled);
    RoutingDecision d = ctx.decision();
    String model = d == null ? "none" : d.model();
    String category = d == null ? "none" : d.category() == null ? "default" : d.category();
    metrics.request(model, category, outcome.reason(), outcome.outcome());
    if (outcome.error() != null) {
      metrics.requestError(outcome.error());
    }
    if (ctx.bodyNanos() != 0 && ctx.routedNanos() != 0) {
      metrics.routingLatency((ctx.routedNanos() - ctx.bodyNanos()) / 1e9);
    }
    if (ctx.cacheLookedUp()) {
      if (ctx.cacheHit()) {
        metrics.cacheHit();
      } else {
        metrics.cacheMiss();
      }
    }
    Screening screening = ctx.screeningIfDone();
    if (ctx.jailbreakMark() != null) {
      metrics.jailbreakAction("flagged".equals(ctx.jailbreakMark()) ? "flag" : "unchecked");
    } else if (screening != null && screening.jailbreak().blocked()) {
      metrics.jailbreakAction("block");
    }
    if (ctx.pii().found()) {
      // What a PII policy did (rerouted, redacted, blocked), or allow: forwarded as it was.
      metrics.piiViolation(ctx.piiAction() != null ? ctx.piiAction() : "allow");
    }
    Usage usage = ctx.usage();
    if (usage != null && ctx.routedDecision() != null) {
      Pricing pricing = ctx.snapshot().config().model(model).map(ModelSpec::pricing).orElse(null);
      double cost =
          pricing == null
              ? -1
              : (usage.promptTokens() * pricing.promptPer1M()
                      + usage.completionTokens() * pricing.completionPer1M())
                  / 1_000_000.0;
      metrics.usage(
          model,
          usage.promptTokens(),
          usage.completionTokens(),
          cost,
          pricing == null ? null : pricing.currency());
    }
  }
}

package io.semroute.extproc.pipeline;

import io.semroute.extproc.decision.RoutingDecision;

/**
 * decide: {@code auto} goes to the decision engine; a configured model named by the client is
 * routed unchanged.
 */
public final class DecideStage implements RequestStage {

  @Override
  public StageResult apply(RequestContext ctx) {
    boolean auto = ctx.snapshot().config().isAutoModel(ctx.model());
    if (auto && ctx.overloaded()) {
      ctx.decision(ctx.snapshot().decision().unclassified(ctx.overloadReason()));
      return StageResult.proceed();
    }
    ctx.decision(
        auto
            ? ctx.snapshot().decision().decide(ctx.userTexts())
            : RoutingDecision.explicit(ctx.model()));
    return StageResult.proceed();
  }
}

package io.semroute.extproc.pipeline;

import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.openai.ParsedRequest;

/**
 * decide: {@code auto} goes to the decision engine; a configured model named by the client is
 * routed unchanged.
 */
public final class DecideStage implements RequestStage {

  @Override
  public StageResult apply(RequestContext ctx) {
    ParsedRequest request = ctx.request();
    boolean auto = ctx.snapshot().config().isAutoModel(request.model());
    if (auto && ctx.overloaded()) {
      ctx.decision(ctx.snapshot().decision().unclassified(ctx.overloadReason()));
      return StageResult.proceed();
    }
    ctx.decision(
        auto
            ? ctx.snapshot().decision().decide(request.userTexts())
            : RoutingDecision.explicit(request.model()));
    return StageResult.proceed();
  }
}

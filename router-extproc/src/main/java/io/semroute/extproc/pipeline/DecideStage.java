package io.semroute.extproc.pipeline;

import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.session.ConversationMemory;

/**
 * decide: {@code auto} goes to the decision engine; a configured model named by the client is
 * routed unchanged. Then {@link ConversationKeeper} may keep the conversation's earlier model.
 */
public final class DecideStage implements RequestStage {
  private final ConversationKeeper keeper;

  /** Without a conversation memory of its own beyond this stage (tests of other stages). */
  public DecideStage() {
    this(new ConversationKeeper(new ConversationMemory(), null));
  }

  /**
   * @param keeper keeps a conversation (tool loop, stored response, session) on its model
   */
  public DecideStage(ConversationKeeper keeper) {
    this.keeper = keeper;
  }

  @Override
  public StageResult apply(RequestContext ctx) {
    boolean auto = ctx.snapshot().config().isAutoModel(ctx.model());
    if (auto && ctx.overloaded()) {
      ctx.decision(ctx.snapshot().decision().unclassified(ctx.overloadReason()));
      return keeper.apply(ctx);
    }
    ctx.decision(
        auto
            ? ctx.snapshot().decision().decide(ctx.userTexts())
            : RoutingDecision.explicit(ctx.model()));
    return keeper.apply(ctx);
  }
}

package io.semroute.extproc.pipeline;

/**
 * screen: queues the guards (jailbreak, PII) on the user texts (and every client-supplied text:
 * tool results, documents) and goes on at once, so they run while the category is classified.
 * {@link GuardVerdictStage} waits for their verdict.
 */
public final class ScreenStage implements RequestStage {

  @Override
  public StageResult apply(RequestContext ctx) {
    if (ctx.overloaded()) {
      // No classifier runs: the guards count as unavailable, so their on_error decides.
      ctx.screening(ctx.snapshot().guards().unavailable(ctx.overloadReason()));
      return StageResult.proceed();
    }
    ctx.screening(ctx.snapshot().guards().start(ctx.userTexts(), ctx.clientTexts()));
    return StageResult.proceed();
  }
}

package io.semroute.extproc.pipeline;

import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.limits.UpstreamResult;
import io.semroute.extproc.openai.Usage;

/**
 * limit account, after read usage: the model's circuit breaker counts the upstream status (a
 * successful stream's when it ends, whole or cut short); the answer carries the {@code
 * x-ratelimit-*} headers of the tenant's tightest budgets and {@code x-vsr-shed} when the request
 * was moved off a model; once the body has ended, the token estimates charged at admission are
 * replaced by the real usage (JSON {@code usage} or the final SSE usage chunk). What is still held
 * when the stream ends is given back by {@link LimitHold#close}.
 */
public final class LimitAccountStage implements ResponseStage {

  @Override
  public void onHeaders(RequestContext ctx, Mutations reply) {
    LimitHold hold = ctx.limitHold();
    if (hold == null) {
      return;
    }
    if (ctx.attemptModel() == null && !(ctx.responseStreamed() && ctx.responseStatus() < 400)) {
      // With Envoy's retries the upstream pass counted each attempt on its own model. A stream's
      // success is known only at its end (LimitHold.close): counted now, a stream cut short would
      // reset the run of failures it belongs to.
      hold.recordUpstream(UpstreamResult.ofStatus(ctx.responseStatus()));
    }
    if (ctx.attemptModel() != null && ctx.attemptFallbackFrom() != null) {
      // Envoy retried: the decision log and x-vsr-shed say which models failed, as for a
      // gateway's retry.
      for (String m : ctx.attemptFallbackFrom().split(",")) {
        hold.shed(m.strip(), LimitStage.FAILED);
      }
    }
    if (hold.headers() != null) {
      hold.headers().toHeaders().forEach(reply::set);
    }
    if (!hold.shed().isEmpty()) {
      reply.set(LimitStage.SHED_HEADER, String.join(", ", hold.shed()));
    }
    if (hold.fallbackFrom() != null) {
      reply.set(LimitStage.FALLBACK_FROM_HEADER, hold.fallbackFrom());
    }
  }

  @Override
  public void onBody(RequestContext ctx, byte[] chunk, boolean endOfStream) {
    LimitHold hold = ctx.limitHold();
    if (hold == null || !endOfStream) {
      return;
    }
    hold.bodyEnded();
    Usage usage = ctx.usage();
    if (usage != null) {
      hold.settle(usage.promptTokens() + usage.completionTokens());
    }
  }
}

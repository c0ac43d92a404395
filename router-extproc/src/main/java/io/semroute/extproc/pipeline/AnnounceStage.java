package io.semroute.extproc.pipeline;

import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.RoutingHeaders;

/**
 * Tells the client what the router decided, on the response headers: {@code x-vsr-selected-model},
 * and for {@code auto} requests {@code -category} ({@code default} when none) and {@code
 * -reasoning} (on/off); the PII types found, if any; {@code x-vsr-pii-violation} / {@code
 * x-vsr-pii-action} when a PII policy acted; {@code x-vsr-jailbreak} when the jailbreak guard let
 * the request through flagged or unchecked.
 */
public final class AnnounceStage implements ResponseStage {

  @Override
  public void onHeaders(RequestContext ctx, Mutations reply) {
    RoutingDecision decision = ctx.routedDecision();
    reply.set(RoutingHeaders.VSR_MODEL, decision.model());
    if (!decision.explicit()) {
      reply.set(RoutingHeaders.VSR_CATEGORY, decision.categoryLabel());
      reply.set(RoutingHeaders.VSR_REASONING, decision.reasoning() ? "on" : "off");
      if (decision.signals() != null) {
        reply.set(
            RoutingHeaders.VSR_DECISION,
            decision.decision() == null ? "none" : decision.decision());
        reply.set(RoutingHeaders.VSR_SIGNALS, decision.signals().describe());
        if (decision.signals().taskType() != null) {
          reply.set(RoutingHeaders.VSR_TASK_TYPE, decision.signals().taskType());
        }
      }
    }
    if (ctx.pii().found()) {
      reply.set(RoutingHeaders.VSR_PII_TYPES, String.join(",", ctx.pii().types()));
    }
    if (ctx.piiAction() != null) {
      reply.set(RoutingHeaders.VSR_PII_VIOLATION, "true");
      reply.set(RoutingHeaders.VSR_PII_ACTION, ctx.piiAction().label());
    }
    if (ctx.jailbreakMark() != null) {
      reply.set(RoutingHeaders.VSR_JAILBREAK, ctx.jailbreakMark().label());
    }
  }
}

package io.semroute.extproc.pipeline;

import io.semroute.config.Category;
import io.semroute.config.ModelScore;
import io.semroute.config.RouterConfig;
import io.semroute.config.SessionSettings;
import io.semroute.extproc.clientapi.ClientRequest;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.session.ConversationMemory;
import io.semroute.extproc.session.Pin;
import io.semroute.extproc.session.StoredResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Part of the decide stage: a conversation stays on the model that holds its state. A request
 * handing back tool results goes to the model that issued those calls (the router remembers the
 * tool-call ids it saw in answers); a Responses request naming {@code previous_response_id} goes to
 * the model (and, in endpoint-picking mode, the backend) that made that response; a request
 * carrying the session header keeps the session's model unless this is a new user turn whose own
 * choice beats the session's model by {@code session.switch_margin} in the decided category. {@code
 * x-vsr-model-kept} says which rule kept it. Only {@code auto} requests: a model the client names
 * is its own choice.
 */
public final class ConversationKeeper {
  private static final Logger log = LoggerFactory.getLogger(ConversationKeeper.class);

  static final String TOOL_CALL = "tool_call";
  static final String PREVIOUS_RESPONSE = "previous_response";
  static final String SESSION = "session";

  private final ConversationMemory memory;
  private final RouterMetrics metrics;

  /**
   * @param metrics where session switches are counted, or null
   */
  public ConversationKeeper(ConversationMemory memory, RouterMetrics metrics) {
    this.memory = memory;
    this.metrics = metrics;
  }

  /** Called by {@link DecideStage} once the request's own decision is in the context. */
  StageResult apply(RequestContext ctx) {
    RoutingDecision decision = ctx.decision();
    RouterConfig cfg = ctx.snapshot().config();
    SessionSettings s = cfg.session();
    ClientRequest c = ctx.client();
    String session = s.enabled() ? ctx.requestHeader(s.header()) : null;
    boolean sessionNamed = session != null && !session.isEmpty();
    if (c.previousResponseId() == null
        && (decision.explicit() || (c.lastToolResultIds().isEmpty() && !sessionNamed))) {
      return StageResult.proceed(); // nothing to look up: the common case costs nothing
    }
    String tenant = ConversationMemory.tenant(ctx::requestHeader);
    if (c.previousResponseId() != null) {
      // Looked up even for a named model: a translated follow-up needs the stored conversation.
      StoredResponse stored = memory.response(s, tenant, c.previousResponseId());
      ctx.storedResponse(stored);
      if (stored != null && !decision.explicit()) {
        return keep(ctx, stored.pin(), PREVIOUS_RESPONSE);
      }
    }
    if (decision.explicit()) {
      return StageResult.proceed();
    }
    for (String id : c.lastToolResultIds()) {
      Pin pin = memory.toolCall(s, tenant, id);
      if (pin != null) {
        return keep(ctx, pin, TOOL_CALL);
      }
    }
    if (!sessionNamed) {
      return StageResult.proceed();
    }
    Pin held = memory.session(s, tenant, session);
    if (held != null && !held.model().equals(decision.model())) {
      if (!c.continuesToolCall() && clearlyBetter(cfg, decision, held.model(), s.switchMargin())) {
        log.debug(
            "request {}: session moves from {} to {}",
            ctx.requestId(),
            held.model(),
            decision.model());
        if (metrics != null) {
          metrics.sessionSwitch(held.model(), decision.model());
        }
      } else {
        keep(ctx, held, SESSION);
      }
    }
    RoutingDecision now = ctx.decision();
    memory.rememberSession(
        s, tenant, session, new Pin(now.model(), now.reasoning(), now.reasoningEffort(), null));
    return StageResult.proceed();
  }

  private static StageResult keep(RequestContext ctx, Pin pin, String why) {
    RoutingDecision d = ctx.decision();
    if (ctx.snapshot().config().model(pin.model()).isEmpty()) {
      return StageResult.proceed(); // the model left the config: routed afresh
    }
    ctx.modelKept(why);
    if (!pin.model().equals(d.model()) || pin.reasoning() != d.reasoning()) {
      ctx.decision(
          new RoutingDecision(
              pin.model(),
              d.category(),
              d.confidence(),
              pin.reasoning(),
              pin.reasoning() ? pin.effort() : null,
              "kept on " + pin.model() + " (" + why + "); classified: " + d.reason(),
              false,
              d.decision(),
              d.signals(),
              d.systemPrompt()));
    }
    return StageResult.proceed();
  }

  /** The decided model's score in its category beats the held model's by the margin. */
  private static boolean clearlyBetter(
      RouterConfig cfg, RoutingDecision decision, String held, double margin) {
    Category category =
        decision.category() == null ? null : cfg.category(decision.category()).orElse(null);
    if (category == null) {
      return false; // the default model is no evidence that another model is better
    }
    double chosen = score(category, decision.model());
    double kept = score(category, held);
    return chosen - kept >= margin;
  }

  private static double score(Category category, String model) {
    return category.modelScores().stream()
        .filter(m -> m.model().equals(model))
        .mapToDouble(ModelScore::score)
        .findFirst()
        .orElse(0);
  }
}

package io.semroute.extproc.pipeline;

import io.semroute.config.Category;
import io.semroute.config.GuardAction;
import io.semroute.config.ModelScore;
import io.semroute.config.ModelSpec;
import io.semroute.config.PiiPolicy;
import io.semroute.config.PiiSettings;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.guard.PiiFindings;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.BodyRedactor;
import io.semroute.extproc.openai.RequestParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PII policy, after {@link GuardVerdictStage}: when the decided model's {@code pii_policy} does not
 * allow a detected type,
 *
 * <ol>
 *   <li>an {@code auto} request goes to the category's next model (by {@code model_scores} score,
 *       best first) whose policy allows every detected type: {@code x-vsr-pii-action: rerouted};
 *   <li>otherwise, and always for a request that named its model (the client chose; never
 *       rerouted), {@code classifier.pii.action} applies: {@code block} answers from the router
 *       ({@link GuardAnswers}, {@code response} form), {@code redact} replaces each span of a
 *       forbidden type with {@code [TYPE]} in the forwarded body, every other byte as the client
 *       sent it ({@link BodyRedactor}), and a matching {@code content-length}.
 * </ol>
 *
 * Whenever the policy acted: {@code x-vsr-pii-violation: true} and {@code x-vsr-pii-action}
 * upstream and to the client; one INFO line with types and action (never values).
 */
public final class PiiPolicyStage implements RequestStage {
  private static final Logger log = LoggerFactory.getLogger(PiiPolicyStage.class);

  static final String REFUSAL =
      "I can't help with that request here: it contains personal data"
          + " that the selected model is not allowed to receive. Remove the personal details and try"
          + " again.";

  @Override
  public StageResult apply(RequestContext ctx) {
    PiiFindings pii = ctx.pii();
    if (!pii.found()) {
      return StageResult.proceed();
    }
    RouterConfig cfg = ctx.snapshot().config();
    RoutingDecision decision = ctx.decision();
    PiiPolicy policy = policyOf(cfg, decision.model());
    if (policy.allowsAll(pii.types())) {
      return StageResult.proceed();
    }
    TreeSet<String> forbidden = new TreeSet<>(pii.types());
    forbidden.removeIf(policy::allows);
    if (!decision.explicit()) {
      Optional<ModelScore> next = nextAllowed(cfg, decision, pii);
      if (next.isPresent()) {
        RoutingDecision moved =
            ctx.snapshot()
                .decision()
                .withCandidate(
                    decision,
                    next.get(),
                    "rerouted from " + decision.model() + ": its pii_policy forbids " + forbidden);
        log.info(
            "request {}: PII {} not allowed for {}, rerouted to {}",
            ctx.requestId(),
            forbidden,
            decision.model(),
            moved.model());
        ctx.decision(moved);
        return acted(ctx, PiiAction.REROUTED);
      }
    }
    PiiSettings settings = cfg.classifier().pii();
    if (settings.action() == GuardAction.REDACT) {
      byte[] redacted = BodyRedactor.redact(ctx.body(), targets(ctx, forbidden));
      try {
        ctx.replaceBody(redacted, RequestParser.parse(ctx.kind(), redacted));
      } catch (BadRequestException e) {
        throw new IllegalStateException("the redacted body no longer parses", e);
      }
      log.info(
          "request {}: PII {} not allowed for {}, redacted",
          ctx.requestId(),
          forbidden,
          decision.model());
      return acted(ctx, PiiAction.REDACTED);
    }
    log.info(
        "request {}: PII {} not allowed for {}, blocked",
        ctx.requestId(),
        forbidden,
        decision.model());
    ctx.piiAction(PiiAction.BLOCKED);
    Mutations headers =
        new Mutations()
            .set(RoutingHeaders.VSR_PII_TYPES, String.join(",", pii.types()))
            .set(RoutingHeaders.VSR_PII_VIOLATION, "true")
            .set(RoutingHeaders.VSR_PII_ACTION, PiiAction.BLOCKED.label());
    return GuardAnswers.refuse(
        ctx,
        headers,
        settings.response(),
        REFUSAL,
        "The request was refused: it contains personal data ("
            + String.join(", ", forbidden)
            + ") that model '"
            + decision.model()
            + "' may not receive.",
        "semantic-router: pii policy");
  }

  private static StageResult acted(RequestContext ctx, PiiAction action) {
    ctx.piiAction(action);
    ctx.mutations()
        .set(RoutingHeaders.VSR_PII_VIOLATION, "true")
        .set(RoutingHeaders.VSR_PII_ACTION, action.label());
    return StageResult.proceed();
  }

  private static PiiPolicy policyOf(RouterConfig cfg, String model) {
    return cfg.model(model).map(ModelSpec::piiPolicy).orElse(PiiPolicy.ALLOW_ALL);
  }

  /** The category's models, best score first, after the decided one, whose policy allows all. */
  private static Optional<ModelScore> nextAllowed(
      RouterConfig cfg, RoutingDecision decision, PiiFindings pii) {
    if (decision.category() == null) {
      return Optional.empty();
    }
    Category category = cfg.category(decision.category()).orElse(null);
    if (category == null) {
      return Optional.empty();
    }
    List<ModelScore> ranked = new ArrayList<>(category.modelScores());
    ranked.sort(Comparator.comparingDouble(ModelScore::score).reversed());
    return ranked.stream()
        .filter(s -> !s.model().equals(decision.model()))
        .filter(s -> policyOf(cfg, s.model()).allowsAll(pii.types()))
        .findFirst();
  }

  /** The spans of the forbidden types, by the JSON pointer of the text they are in. */
  private static Map<String, BodyRedactor.Target> targets(
      RequestContext ctx, Set<String> forbidden) {
    Map<String, String> texts = new LinkedHashMap<>();
    ctx.request().clientTexts().forEach(t -> texts.put(t.pointer(), t.text()));
    Map<String, List<BodyRedactor.Span>> spans = new LinkedHashMap<>();
    for (PiiFindings.Located e : ctx.pii().entities()) {
      if (forbidden.contains(e.type()) && texts.containsKey(e.pointer())) {
        spans
            .computeIfAbsent(e.pointer(), k -> new ArrayList<>())
            .add(new BodyRedactor.Span(e.start(), e.end(), e.type()));
      }
    }
    Map<String, BodyRedactor.Target> out = new LinkedHashMap<>();
    spans.forEach(
        (pointer, list) -> out.put(pointer, new BodyRedactor.Target(texts.get(pointer), list)));
    return out;
  }
}

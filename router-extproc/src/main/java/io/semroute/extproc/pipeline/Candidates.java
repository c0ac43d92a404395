package io.semroute.extproc.pipeline;

import io.semroute.config.Category;
import io.semroute.config.Decision;
import io.semroute.config.ModelScore;
import io.semroute.config.ModelSpec;
import io.semroute.config.PiiPolicy;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.guard.PiiFindings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The models an {@code auto} request may go to, best first: the decided model, then the matched
 * decision's other {@code candidates} (in the order listed) or, without those, the category's
 * models by score. Only models whose {@code pii_policy} allows every PII type found: a move to
 * another candidate (a model at its limit, an open breaker, a failed attempt) never widens the PII
 * policy. A request that named its model, or went to the default model, has that model only.
 */
final class Candidates {
  private Candidates() {}

  static List<String> of(RouterConfig cfg, RoutingDecision decision, PiiFindings pii) {
    return of(cfg, decision, pii, false);
  }

  /**
   * @param explicitFallback a request that named its model may fall back ({@code
   *     on_explicit_model}): to the default model, when the PII policy allows
   */
  static List<String> of(
      RouterConfig cfg, RoutingDecision decision, PiiFindings pii, boolean explicitFallback) {
    Set<String> out = new LinkedHashSet<>();
    out.add(decision.model());
    if (decision.explicit()) {
      if (explicitFallback && policyOf(cfg, cfg.defaultModel()).allowsAll(pii.types())) {
        out.add(cfg.defaultModel());
      }
      return List.copyOf(out);
    }
    Optional<Decision> matched =
        decision.decision() == null
            ? Optional.empty()
            : cfg.decisions().decisions().stream()
                .filter(d -> d.name().equals(decision.decision()))
                .findFirst();
    if (matched.isPresent() && !matched.get().candidates().isEmpty()) {
      out.addAll(matched.get().candidates());
    } else if (decision.category() != null) {
      cfg.category(decision.category()).map(Candidates::ranked).ifPresent(out::addAll);
    }
    List<String> allowed = new ArrayList<>();
    for (String m : out) {
      if (m.equals(decision.model()) || policyOf(cfg, m).allowsAll(pii.types())) {
        allowed.add(m);
      }
    }
    return List.copyOf(allowed);
  }

  /** The same decision, sent to {@code model} instead (its own reasoning switch and effort). */
  static RoutingDecision moveTo(
      RequestContext ctx, RoutingDecision base, String model, String why) {
    RouterConfig cfg = ctx.snapshot().config();
    if (base.decision() == null && base.category() != null) {
      Optional<ModelScore> score = cfg.category(base.category()).flatMap(c -> scoreOf(c, model));
      if (score.isPresent()) {
        return ctx.snapshot().decision().withCandidate(base, score.get(), why);
      }
    }
    boolean reasoning =
        base.reasoning() && cfg.model(model).map(ModelSpec::reasoningFamily).isPresent();
    String effort = null;
    if (reasoning) {
      effort =
          base.reasoningEffort() != null
              ? base.reasoningEffort()
              : cfg.model(model).map(ModelSpec::defaultReasoningEffort).orElse("medium");
    }
    return new RoutingDecision(
        model,
        base.category(),
        base.confidence(),
        reasoning,
        effort,
        base.reason() + "; " + why,
        false,
        base.decision(),
        base.signals(),
        base.systemPrompt());
  }

  private static List<String> ranked(Category c) {
    List<ModelScore> scores = new ArrayList<>(c.modelScores());
    scores.sort(Comparator.comparingDouble(ModelScore::score).reversed());
    return scores.stream().map(ModelScore::model).toList();
  }

  private static Optional<ModelScore> scoreOf(Category c, String model) {
    return c.modelScores().stream().filter(s -> s.model().equals(model)).findFirst();
  }

  private static PiiPolicy policyOf(RouterConfig cfg, String model) {
    return cfg.model(model).map(ModelSpec::piiPolicy).orElse(PiiPolicy.ALLOW_ALL);
  }
}

package io.semroute.extproc.decision;

import io.semroute.config.Category;
import io.semroute.config.ModelScore;
import io.semroute.config.ModelSpec;
import io.semroute.config.RouterConfig;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where an {@code auto} request goes: classify the conversation, take the category's
 * best model if the confidence reaches the threshold, else the default model.
 *
 * <p>The engine is bound to one {@link RouterConfig}; a reload builds a new one (with the rest of
 * the config snapshot), so a request is decided against a single consistent config from start to
 * end.
 */
public final class DecisionEngine {
  private static final Logger log = LoggerFactory.getLogger(DecisionEngine.class);

  private final RouterConfig config;
  private final ConversationClassifier conversation;

  /** @param classifier the routing signal for this config (see {@link SignalClassifier}) */
  public DecisionEngine(RouterConfig config, Classifier classifier) {
    this.config = config;
    this.conversation =
        new ConversationClassifier(classifier, config.classifier().categoryThreshold(),
            config.classifier().catchAllCategory());
  }

  /** Keyword rules only (no classifiers to load). */
  public static DecisionEngine keywordOnly(RouterConfig config) {
    return new DecisionEngine(config, new KeywordClassifier(config.categories()));
  }

  public RouterConfig config() {
    return config;
  }

  /** @param userTurns the user messages (oldest first); may be empty (then: default model) */
  public RoutingDecision decide(List<String> userTurns) {
    double threshold = config.classifier().categoryThreshold();
    if (userTurns.isEmpty()) {
      return toDefault("no user text to classify");
    }
    Classification c;
    try {
      c = conversation.classify(userTurns);
    } catch (ClassificationFailedException e) {
      // Slow or overloaded models must not fail the request; say loudly that it was not routed.
      log.warn("classification failed, routing to the default model {}: {}", config.defaultModel(),
          e.getMessage());
      return toDefault("classification failed (" + e.getMessage() + ")");
    }
    return decideFor(c);
  }

  /**
   * The conversation's combined classification (every category's score), without deciding; the
   * classification API shows it. Throws {@link ClassificationFailedException} when a model cannot
   * answer.
   */
  public Classification classify(List<String> userTurns) {
    return conversation.classify(userTurns);
  }

  /** The decision for a classification made by {@link #classify}. */
  public RoutingDecision decideFor(Classification c) {
    double threshold = config.classifier().categoryThreshold();
    if (!c.hasCategory()) {
      return toDefault("no category signal");
    }
    if (c.confidence() < threshold) {
      return toDefault(
          String.format(
              Locale.ROOT,
              "best category %s at %.2f is below threshold %.2f",
              c.category(),
              c.confidence(),
              threshold));
    }
    Category category = config.category(c.category()).orElse(null);
    if (category == null) {
      // A model whose labels do not match the config must not fail requests: fall back loudly.
      return toDefault("classifier label '" + c.category() + "' is not a configured category");
    }
    ModelScore best = category.bestModel();
    String effort = best.useReasoning() ? effortFor(best) : null;
    return new RoutingDecision(
        best.model(),
        category.name(),
        c.confidence(),
        best.useReasoning(),
        effort,
        String.format(Locale.ROOT, "category %s at %.2f", category.name(), c.confidence()),
        false);
  }

  /**
   * The same decision with another of its category's models (e.g. one a PII policy allows), that
   * model's reasoning switch and effort.
   */
  public RoutingDecision withCandidate(RoutingDecision base, ModelScore score, String why) {
    String effort = score.useReasoning() ? effortFor(score) : null;
    return new RoutingDecision(score.model(), base.category(), base.confidence(),
        score.useReasoning(), effort, base.reason() + "; " + why, false);
  }

  private String effortFor(ModelScore score) {
    if (score.reasoningEffort() != null) {
      return score.reasoningEffort();
    }
    String modelDefault =
        config.model(score.model()).map(ModelSpec::defaultReasoningEffort).orElse(null);
    return modelDefault != null ? modelDefault : "medium";
  }

  private RoutingDecision toDefault(String why) {
    return new RoutingDecision(
        config.defaultModel(), null, 0.0, false, null, "default model: " + why, false);
  }
}

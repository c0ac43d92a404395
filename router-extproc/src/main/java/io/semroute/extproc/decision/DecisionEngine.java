package io.semroute.extproc.decision;

import io.semroute.config.Category;
import io.semroute.config.Decision;
import io.semroute.config.DecisionSettings;
import io.semroute.config.ModelScore;
import io.semroute.config.ModelSpec;
import io.semroute.config.RouterConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where an {@code auto} request goes: classify the conversation, take the category's best
 * model if the confidence reaches the threshold, else the default model.
 *
 * <p>The engine is bound to one {@link RouterConfig}; a reload builds a new one (with the rest of
 * the config snapshot), so a request is decided against a single consistent config from start to
 * end.
 */
public final class DecisionEngine {
  private static final Logger log = LoggerFactory.getLogger(DecisionEngine.class);

  private final RouterConfig config;
  private final ConversationClassifier conversation;
  private final Classifier taskType;
  private final SuccessPredictor success;

  /**
   * @param classifier the routing signal for this config (see {@link SignalClassifier})
   */
  public DecisionEngine(RouterConfig config, Classifier classifier) {
    this(config, classifier, null, null);
  }

  /**
   * @param taskType the task-type model ({@code signals.task_type_model}), or null
   * @param success predicted success ({@code signals.outcomes}), or null
   */
  public DecisionEngine(
      RouterConfig config, Classifier classifier, Classifier taskType, SuccessPredictor success) {
    this.config = config;
    this.taskType = taskType;
    this.success = success;
    this.conversation =
        new ConversationClassifier(
            classifier,
            config.classifier().categoryThreshold(),
            config.classifier().catchAllCategory());
  }

  /** Keyword rules only (no classifiers to load). */
  public static DecisionEngine keywordOnly(RouterConfig config) {
    return new DecisionEngine(config, new KeywordClassifier(config.categories()));
  }

  public RouterConfig config() {
    return config;
  }

  /**
   * Category routing, then the {@code decisions:} in order over the request's signals: the first
   * that matches sets the model (or picks among candidates by predicted success), reasoning and
   * system prompt; with none matching, category routing stands.
   *
   * @param userTurns the user messages (oldest first); may be empty (then: default model)
   */
  public RoutingDecision decide(List<String> userTurns) {
    RoutingDecision byCategory = decideByCategory(userTurns);
    DecisionSettings ds = config.decisions();
    if (ds.decisions().isEmpty()) {
      return byCategory;
    }
    RequestSignals s = signals(userTurns, byCategory);
    for (Decision d : ds.decisions()) {
      if (d.when().test(s)) {
        return apply(d, s, byCategory);
      }
    }
    return byCategory.withSignals(s);
  }

  private RequestSignals signals(List<String> userTurns, RoutingDecision byCategory) {
    DecisionSettings ds = config.decisions();
    // The classifiers read a long turn's head and tail, as the category classifier does: tokenizing
    // megabytes would blow Envoy's per-message timeout.
    String latest =
        userTurns.isEmpty() ? "" : LongPrompts.headAndTail(userTurns.get(userTurns.size() - 1));
    String type = null;
    double typeConfidence = 0;
    if (taskType != null && ds.needsTaskType() && !latest.isBlank()) {
      try {
        Classification c = taskType.classify(latest);
        type = c.category();
        typeConfidence = c.confidence();
      } catch (ClassificationFailedException e) {
        log.warn(
            "task-type classification failed; conditions on task_type are false: {}",
            e.getMessage());
      } catch (RuntimeException e) {
        log.error("task-type classifier failed; conditions on task_type are false", e);
      }
    }
    Map<String, Double> mapped = new LinkedHashMap<>();
    double difficulty = Double.NaN;
    if (success != null && ds.needsSuccess() && !latest.isBlank()) {
      try {
        Map<String, Double> pool = success.predict(latest);
        ds.outcomeModels()
            .forEach(
                (model, poolModel) -> {
                  Double p = pool.get(poolModel);
                  if (p != null) {
                    mapped.put(model, p);
                  }
                });
        difficulty =
            1 - pool.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
      } catch (ClassificationFailedException e) {
        log.warn(
            "success prediction failed; conditions on success and difficulty are false: {}",
            e.getMessage());
      } catch (RuntimeException e) {
        log.error("success predictor failed; conditions on success and difficulty are false", e);
      }
    }
    return new RequestSignals(
        byCategory.category(),
        type,
        typeConfidence,
        PromptSignals.tokens(userTurns),
        userTurns.size(),
        PromptSignals.language(latest),
        PromptSignals.script(latest),
        mapped,
        difficulty);
  }

  private RoutingDecision apply(Decision d, RequestSignals s, RoutingDecision byCategory) {
    String model = d.model();
    String how;
    if (model != null) {
      how = "model " + model;
    } else if (s.success().isEmpty()) {
      model = d.candidates().get(0); // no prediction: the first candidate listed
      how = "no predicted success, first candidate " + model;
    } else {
      Map<String, Double> pool = new LinkedHashMap<>();
      List<String> poolCandidates = new ArrayList<>();
      Map<String, String> back = new LinkedHashMap<>();
      for (String c : d.candidates()) {
        String p = config.decisions().outcomeModels().get(c);
        pool.put(p, s.success(c));
        poolCandidates.add(p);
        back.putIfAbsent(p, c);
      }
      double target = Double.isNaN(d.target()) ? success.defaultTarget() : d.target();
      model = back.get(success.choose(pool, poolCandidates, target));
      how = String.format(Locale.ROOT, "cheapest candidate reaching %.2f: %s", target, model);
    }
    boolean reasoning =
        d.useReasoning() && config.model(model).map(ModelSpec::reasoningFamily).isPresent();
    String effort =
        reasoning ? (d.reasoningEffort() != null ? d.reasoningEffort() : modelEffort(model)) : null;
    return new RoutingDecision(
        model,
        byCategory.category(),
        byCategory.confidence(),
        reasoning,
        effort,
        "decision " + d.name() + ": " + how,
        false,
        d.name(),
        s,
        d.systemPrompt());
  }

  private String modelEffort(String model) {
    String m = config.model(model).map(ModelSpec::defaultReasoningEffort).orElse(null);
    return m != null ? m : "medium";
  }

  private RoutingDecision decideByCategory(List<String> userTurns) {
    double threshold = config.classifier().categoryThreshold();
    if (userTurns.isEmpty()) {
      return toDefault("no user text to classify");
    }
    Classification c;
    try {
      c = conversation.classify(userTurns);
    } catch (ClassificationFailedException e) {
      // Slow or overloaded models must not fail the request; say loudly that it was not routed.
      log.warn(
          "classification failed, routing to the default model {}: {}",
          config.defaultModel(),
          e.getMessage());
      return toDefault("classification failed (" + e.getMessage() + ")");
    } catch (RuntimeException e) {
      // A classifier bug (not a slow model) must not fail the request either: a 500 for every
      // request of a category would be worse than the default model. Logged with its stack.
      log.error("classifier failed, routing to the default model {}", config.defaultModel(), e);
      return toDefault("classification failed (" + e + ")");
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
    return new RoutingDecision(
        score.model(),
        base.category(),
        base.confidence(),
        score.useReasoning(),
        effort,
        base.reason() + "; " + why,
        false);
  }

  private String effortFor(ModelScore score) {
    if (score.reasoningEffort() != null) {
      return score.reasoningEffort();
    }
    String modelDefault =
        config.model(score.model()).map(ModelSpec::defaultReasoningEffort).orElse(null);
    return modelDefault != null ? modelDefault : "medium";
  }

  /** The default model, without classifying (the router is overloaded), with the reason. */
  public RoutingDecision unclassified(String why) {
    return toDefault(why);
  }

  private RoutingDecision toDefault(String why) {
    return new RoutingDecision(
        config.defaultModel(), null, 0.0, false, null, "default model: " + why, false);
  }
}

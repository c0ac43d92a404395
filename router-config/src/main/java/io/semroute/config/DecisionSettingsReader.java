package io.semroute.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code signals:} and {@code decisions:} (see docs/decisions.md). Every key is checked with
 * file:line:key errors: unknown keys, model names, categories, the signals a condition or a
 * candidate list needs, reasoning on a model without a family.
 */
final class DecisionSettingsReader {
  static final Set<String> SIGNAL_KEYS =
      RouterConfigReader.orderedSet("task_type_model", "outcomes");
  static final Set<String> OUTCOME_KEYS = RouterConfigReader.orderedSet("model", "models");
  static final Set<String> DECISION_KEYS =
      RouterConfigReader.orderedSet(
          "name",
          "when",
          "model",
          "candidates",
          "target",
          "use_reasoning",
          "reasoning_effort",
          "system_prompt");
  static final Set<String> CONDITION_KEYS =
      RouterConfigReader.orderedSet(
          "all",
          "any",
          "not",
          "category",
          "task_type",
          "language",
          "script",
          "min_tokens",
          "max_tokens",
          "min_turns",
          "max_turns",
          "success_at_least",
          "success_below",
          "difficulty_at_least",
          "difficulty_below");
  static final Set<String> SUCCESS_KEYS = RouterConfigReader.orderedSet("model", "value");
  static final List<String> SCRIPTS =
      List.of(
          "latin",
          "cyrillic",
          "greek",
          "arabic",
          "hebrew",
          "han",
          "hiragana",
          "katakana",
          "hangul",
          "devanagari",
          "thai",
          "other",
          "none");

  private final RouterConfigReader base;
  private final Map<String, ModelSpec> models;
  private final Map<String, ReasoningFamily> families;
  private final List<Category> categories;

  private final Path file;

  DecisionSettingsReader(
      Path file,
      RouterConfigReader base,
      Map<String, ModelSpec> models,
      Map<String, ReasoningFamily> families,
      List<Category> categories) {
    this.file = file;
    this.base = base;
    this.models = models;
    this.families = families;
    this.categories = categories;
  }

  DecisionSettings read(YamlNode signalsNode, YamlNode decisionsNode) {
    ModelPath taskType = null;
    ModelPath outcomes = null;
    Map<String, String> outcomeModels = new LinkedHashMap<>();
    YamlNode outcomesNode = signalsNode;
    if (signalsNode.isPresent()) {
      Map<String, YamlNode> e = signalsNode.entries(SIGNAL_KEYS);
      taskType = base.modelPath(YamlNode.child(e, signalsNode, "task_type_model"));
      outcomesNode = YamlNode.child(e, signalsNode, "outcomes");
      if (outcomesNode.isPresent()) {
        Map<String, YamlNode> o = outcomesNode.entries(OUTCOME_KEYS);
        YamlNode modelNode = YamlNode.child(o, outcomesNode, "model");
        outcomes = base.modelPath(modelNode);
        if (outcomes == null) {
          throw modelNode.missing();
        }
        YamlNode mapNode = YamlNode.child(o, outcomesNode, "models");
        if (!mapNode.isPresent()) {
          throw mapNode.missing();
        }
        for (Map.Entry<String, YamlNode> m : mapNode.entries(null).entrySet()) {
          RouterConfigReader.requireModel(m.getValue(), m.getKey(), models);
          outcomeModels.put(m.getKey(), m.getValue().requiredString());
        }
        if (outcomeModels.isEmpty()) {
          throw mapNode.error("map at least one configured model to a model of the outcome pool");
        }
      }
    }
    List<Decision> decisions = new ArrayList<>();
    UniqueNames names = new UniqueNames("decision");
    for (YamlNode d : decisionsNode.items()) {
      Map<String, YamlNode> e = d.entries(DECISION_KEYS);
      String name = names.take(YamlNode.child(e, d, "name"));
      YamlNode whenNode = YamlNode.child(e, d, "when");
      Condition when =
          whenNode.isPresent()
              ? condition(whenNode, taskType != null, outcomes != null, outcomeModels)
              : new Condition.Always();
      YamlNode modelNode = YamlNode.child(e, d, "model");
      YamlNode candNode = YamlNode.child(e, d, "candidates");
      if (modelNode.isPresent() == candNode.isPresent()) {
        throw d.error("a decision sets exactly one of 'model' or 'candidates'");
      }
      String model = null;
      List<String> candidates = List.of();
      if (modelNode.isPresent()) {
        model = modelNode.requiredString();
        RouterConfigReader.requireModel(modelNode, model, models);
      } else {
        candidates = candNode.stringList();
        if (candidates.isEmpty()) {
          throw candNode.error("list at least one model");
        }
        if (outcomes == null) {
          throw candNode.error(
              "choosing among candidates needs predicted success: set signals.outcomes");
        }
        List<YamlNode> items = candNode.items();
        for (int i = 0; i < candidates.size(); i++) {
          RouterConfigReader.requireModel(items.get(i), candidates.get(i), models);
          if (!outcomeModels.containsKey(candidates.get(i))) {
            throw items
                .get(i)
                .error(
                    "model '"
                        + candidates.get(i)
                        + "' has no prediction: add it to signals.outcomes.models");
          }
        }
      }
      YamlNode targetNode = YamlNode.child(e, d, "target");
      if (targetNode.isPresent() && model != null) {
        throw targetNode.error("'target' only applies to 'candidates'");
      }
      double target = targetNode.isPresent() ? targetNode.number(0, 0, 1) : Double.NaN;
      YamlNode reasoningNode = YamlNode.child(e, d, "use_reasoning");
      boolean reasoning = reasoningNode.bool(false);
      if (reasoning) {
        for (String m : model != null ? List.of(model) : candidates) {
          if (models.get(m).reasoningFamily() == null) {
            throw reasoningNode.error(
                "model '"
                    + m
                    + "' has no reasoning_family, so reasoning cannot be switched on;"
                    + " give the model a reasoning_family or set use_reasoning: false");
          }
        }
      }
      YamlNode effortNode = YamlNode.child(e, d, "reasoning_effort");
      String effort =
          effortNode.isPresent() ? effortNode.choice(null, RouterConfigReader.EFFORTS) : null;
      SystemPrompt prompt = base.systemPrompt(YamlNode.child(e, d, "system_prompt"));
      decisions.add(
          new Decision(
              name,
              when,
              model,
              candidates,
              target,
              reasoning,
              effort,
              prompt,
              new ConfigLocation(file, d.line(), d.path())));
    }
    if (!decisions.isEmpty() || taskType != null || outcomes != null) {
      return new DecisionSettings(taskType, outcomes, outcomeModels, decisions);
    }
    return DecisionSettings.NONE;
  }

  private Condition condition(
      YamlNode n, boolean hasTaskType, boolean hasOutcomes, Map<String, String> outcomeModels) {
    Map<String, YamlNode> e = n.entries(CONDITION_KEYS);
    if (e.isEmpty()) {
      throw n.error("an empty condition; use one of " + String.join(", ", CONDITION_KEYS));
    }
    List<Condition> parts = new ArrayList<>();
    YamlNode minTok = YamlNode.child(e, n, "min_tokens");
    YamlNode maxTok = YamlNode.child(e, n, "max_tokens");
    if (minTok.isPresent() || maxTok.isPresent()) {
      parts.add(
          new Condition.Tokens(
              minTok.integer(0, 0, Integer.MAX_VALUE),
              maxTok.integer(Integer.MAX_VALUE, 0, Integer.MAX_VALUE)));
    }
    YamlNode minTurns = YamlNode.child(e, n, "min_turns");
    YamlNode maxTurns = YamlNode.child(e, n, "max_turns");
    if (minTurns.isPresent() || maxTurns.isPresent()) {
      parts.add(
          new Condition.Turns(
              minTurns.integer(0, 0, Integer.MAX_VALUE),
              maxTurns.integer(Integer.MAX_VALUE, 0, Integer.MAX_VALUE)));
    }
    for (Map.Entry<String, YamlNode> k : e.entrySet()) {
      YamlNode v = k.getValue();
      switch (k.getKey()) {
        case "all", "any" -> {
          List<Condition> of = new ArrayList<>();
          for (YamlNode item : v.items()) {
            of.add(condition(item, hasTaskType, hasOutcomes, outcomeModels));
          }
          if (of.isEmpty()) {
            throw v.error("list at least one condition");
          }
          parts.add(k.getKey().equals("all") ? new Condition.All(of) : new Condition.Any(of));
        }
        case "not" ->
            parts.add(new Condition.Not(condition(v, hasTaskType, hasOutcomes, outcomeModels)));
        case "category" -> {
          Set<String> declared = new LinkedHashSet<>();
          categories.forEach(c -> declared.add(c.name()));
          declared.add("default");
          parts.add(
              new Condition.CategoryIn(names(v, declared, "declared categories (or 'default')")));
        }
        case "task_type" -> {
          if (!hasTaskType) {
            throw v.error("task_type needs a task-type model: set signals.task_type_model");
          }
          parts.add(new Condition.TaskTypeIn(names(v, null, null)));
        }
        case "language" -> parts.add(new Condition.LanguageIn(names(v, null, null)));
        case "script" ->
            parts.add(new Condition.ScriptIn(names(v, new LinkedHashSet<>(SCRIPTS), "scripts")));
        case "success_at_least", "success_below" -> {
          if (!hasOutcomes) {
            throw v.error(k.getKey() + " needs predicted success: set signals.outcomes");
          }
          Map<String, YamlNode> s = v.entries(SUCCESS_KEYS);
          YamlNode m = YamlNode.child(s, v, "model");
          String model = m.requiredString();
          RouterConfigReader.requireModel(m, model, models);
          if (!outcomeModels.containsKey(model)) {
            throw m.error(
                "model '" + model + "' has no prediction: add it to signals.outcomes.models");
          }
          YamlNode value = YamlNode.child(s, v, "value");
          if (!value.isPresent()) {
            throw value.missing();
          }
          parts.add(
              new Condition.Success(
                  model, value.number(0, 0, 1), k.getKey().equals("success_at_least")));
        }
        case "difficulty_at_least", "difficulty_below" -> {
          if (!hasOutcomes) {
            throw v.error(k.getKey() + " needs predicted success: set signals.outcomes");
          }
          parts.add(
              new Condition.Difficulty(
                  v.number(0, 0, 1), k.getKey().equals("difficulty_at_least")));
        }
        default -> {
          // min/max tokens and turns: read above
        }
      }
    }
    return parts.size() == 1 ? parts.get(0) : new Condition.All(parts);
  }

  /** A name or a list of names; with {@code valid}, each must be one of them. */
  private static Set<String> names(YamlNode v, Set<String> valid, String what) {
    List<YamlNode> items = v.isScalar() ? List.of(v) : v.items();
    Set<String> out = new LinkedHashSet<>();
    for (YamlNode item : items) {
      String s = item.requiredString();
      if (valid != null && !valid.contains(s)) {
        throw item.error("unknown value '" + s + "'" + Suggestions.validChoices(s, valid, what));
      }
      out.add(s);
    }
    if (out.isEmpty()) {
      throw v.error("list at least one value");
    }
    return out;
  }
}

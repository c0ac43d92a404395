package io.semroute.extproc.decision;

import io.semroute.config.Category;
import io.semroute.config.KeywordPatterns;
import io.semroute.config.KeywordRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The configured keyword rules as a real classifier. A rule fires when any of its words or phrases
 * occurs on word edges (case-insensitive; the spaces inside a phrase match any run of whitespace)
 * or any of its regular expressions matches (case-insensitive) — see {@link KeywordPatterns}. A
 * category scores the highest score among its fired rules; a category with no fired rule scores 0.
 */
public final class KeywordClassifier implements Classifier {
  private record CompiledRule(Pattern pattern, double score) {}

  private final Map<String, List<CompiledRule>> rulesByCategory = new LinkedHashMap<>();

  public KeywordClassifier(List<Category> categories) {
    for (Category category : categories) {
      List<CompiledRule> compiled = new ArrayList<>();
      for (KeywordRule rule : category.keywords()) {
        Pattern p = compile(rule);
        if (p != null) {
          compiled.add(new CompiledRule(p, rule.score()));
        }
      }
      rulesByCategory.put(category.name(), List.copyOf(compiled));
    }
  }

  /**
   * One alternation per rule (semantics shared with config validation in {@link KeywordPatterns}),
   * so a long prompt is scanned once per rule, not once per word.
   */
  static Pattern compile(KeywordRule rule) {
    if (rule.words().isEmpty() && rule.regex().isEmpty()) {
      return null; // an empty alternation would match every text
    }
    return KeywordPatterns.compile(rule);
  }

  @Override
  public Classification classify(String text) {
    Map<String, Double> scores = new LinkedHashMap<>();
    for (Map.Entry<String, List<CompiledRule>> e : rulesByCategory.entrySet()) {
      double best = 0.0;
      for (CompiledRule rule : e.getValue()) {
        if (rule.score() > best && rule.pattern().matcher(text).find()) {
          best = rule.score();
        }
      }
      scores.put(e.getKey(), best);
    }
    return Classification.fromScores(scores);
  }
}

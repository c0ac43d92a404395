package io.semroute.extproc.decision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Combines the routing signals into one classification per text. Every signal gives each category a
 * score in [0, 1]: the category model its probability, the explicit signals ({@code examples:}
 * similarity at or above its threshold, keyword rule scores) theirs.
 *
 * <ul>
 *   <li>Normally a category's score is the highest of its signals: a deliberate rule or a close
 *       example overrules the model exactly when its score is above the model's probability, and a
 *       rule the config author scored 0.7 never overrules a model that is 90 % sure.
 *   <li>If a category the model does not know (not one of its labels) has an explicit match, the
 *       model is left out for that text and the explicit signals decide alone. The model spreads
 *       its probability over its own labels only, so its confidence is no evidence against a domain
 *       it never learned: the shipped domain head says "health 0.99" for "suggest an easy
 *       vegetarian meal for tonight", which would otherwise beat a user's {@code cooking} examples
 *       at 0.85.
 * </ul>
 *
 * Categories appear in config order, then model labels that are not categories (they route to the
 * default model, see {@link DecisionEngine}).
 */
public final class SignalClassifier implements Classifier {
  private final List<String> categoryOrder;
  private final Classifier model;
  private final Set<String> modelLabels;
  private final List<Classifier> explicit;

  /**
   * @param model the category model's signal, or null
   * @param modelLabels its labels (empty without a model)
   * @param explicit examples and keyword signals
   */
  public SignalClassifier(
      List<String> categoryOrder,
      Classifier model,
      Set<String> modelLabels,
      List<Classifier> explicit) {
    if (model == null && explicit.isEmpty()) {
      throw new IllegalArgumentException("at least one signal");
    }
    this.categoryOrder = List.copyOf(categoryOrder);
    this.model = model;
    this.modelLabels = Set.copyOf(modelLabels);
    this.explicit = List.copyOf(explicit);
  }

  @Override
  public Classification classify(String text) {
    return classifyAll(List.of(text)).get(0);
  }

  @Override
  public List<Classification> classifyAll(List<String> texts) {
    List<List<Classification>> explicitResults = new ArrayList<>(explicit.size());
    for (Classifier s : explicit) {
      explicitResults.add(s.classifyAll(texts));
    }
    List<Classification> modelResults = model == null ? null : model.classifyAll(texts);
    List<Classification> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      Map<String, Double> explicitScores = maxByCategory(explicitResults, i);
      boolean unknownDomainMatched =
          explicitScores.entrySet().stream()
              .anyMatch(e -> e.getValue() > 0 && !modelLabels.contains(e.getKey()));
      if (modelResults == null || unknownDomainMatched) {
        out.add(Classification.fromScores(explicitScores));
        continue;
      }
      Map<String, Double> combined = explicitScores;
      modelResults.get(i).scores().forEach((c, score) -> combined.merge(c, score, Math::max));
      out.add(Classification.fromScores(combined));
    }
    return out;
  }

  private Map<String, Double> maxByCategory(List<List<Classification>> results, int i) {
    Map<String, Double> scores = new LinkedHashMap<>();
    for (String c : categoryOrder) {
      scores.put(c, 0.0);
    }
    for (List<Classification> r : results) {
      r.get(i).scores().forEach((c, score) -> scores.merge(c, score, Math::max));
    }
    return scores;
  }
}

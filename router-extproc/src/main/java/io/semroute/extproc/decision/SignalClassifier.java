package io.semroute.extproc.decision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Combines the routing signals (category model, {@code examples:}, keyword rules) into one
 * classification per text: every signal gives each category a score in [0, 1], and a category's
 * combined score is the highest of them. So an explicit keyword rule or a close example wins
 * exactly when its score is above the model's probability for the model's best category, and a
 * weak model answer is overruled by a deliberate rule; a confident model is not overruled by a
 * rule whose score the config author set lower. Categories appear in config order, then model
 * labels that are not categories (they route to the default model, see {@link DecisionEngine}).
 */
public final class SignalClassifier implements Classifier {
  private final List<String> categoryOrder;
  private final List<Classifier> signals;

  public SignalClassifier(List<String> categoryOrder, List<Classifier> signals) {
    if (signals.isEmpty()) {
      throw new IllegalArgumentException("at least one signal");
    }
    this.categoryOrder = List.copyOf(categoryOrder);
    this.signals = List.copyOf(signals);
  }

  @Override
  public Classification classify(String text) {
    return classifyAll(List.of(text)).get(0);
  }

  @Override
  public List<Classification> classifyAll(List<String> texts) {
    List<List<Classification>> perSignal = new ArrayList<>(signals.size());
    for (Classifier s : signals) {
      perSignal.add(s.classifyAll(texts));
    }
    List<Classification> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      Map<String, Double> combined = new LinkedHashMap<>();
      for (String c : categoryOrder) {
        combined.put(c, 0.0);
      }
      for (List<Classification> results : perSignal) {
        results.get(i).scores().forEach((c, score) -> combined.merge(c, score, Math::max));
      }
      out.add(Classification.fromScores(combined));
    }
    return out;
  }
}

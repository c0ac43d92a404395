package io.semroute.extproc.decision;

import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plugs a {@code router-classifier} sequence classifier (e.g. a ModernBERT category model) into
 * routing: its label becomes the category, its softmax probability the confidence. The model's
 * labels must be the config's category names for the decision engine to find the category.
 *
 * <p>The adapter does not own the model: whoever opened it closes it (a config reload that keeps
 * the same model path should not reload the weights).
 */
public final class SequenceClassifierAdapter implements Classifier {
  private final SequenceClassifier model;

  public SequenceClassifierAdapter(SequenceClassifier model) {
    this.model = model;
  }

  @Override
  public Classification classify(String text) {
    SequenceClassification result = model.classify(text);
    Map<String, Double> scores = new LinkedHashMap<>();
    result.scores().forEach((label, p) -> scores.put(label, p.doubleValue()));
    return new Classification(result.label(), result.confidence(), scores);
  }
}

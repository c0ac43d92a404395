package io.semroute.extproc.decision;

import io.semroute.classifier.SequenceClassification;
import io.semroute.extproc.classifiers.LoadedSequenceClassifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plugs a category model (the shipped head over the built-in encoder, or a Hugging Face ModernBERT
 * classifier) into routing: its label becomes the category, its softmax probability the
 * confidence. Texts go through the model's micro-batcher, so concurrent requests share encoder
 * passes and the gRPC threads only wait.
 *
 * <p>The adapter does not own the model: the {@link io.semroute.extproc.classifiers.ClassifierCache} does
 * (a config reload that keeps the same model path must not reload the weights).
 */
public final class SequenceClassifierAdapter implements Classifier {
  private final LoadedSequenceClassifier model;

  public SequenceClassifierAdapter(LoadedSequenceClassifier model) {
    this.model = model;
  }

  @Override
  public Classification classify(String text) {
    return classifyAll(List.of(text)).get(0);
  }

  @Override
  public List<Classification> classifyAll(List<String> texts) {
    return Futures.joinAll(texts.stream().map(model::submit).toList(), "category model")
        .stream()
        .map(SequenceClassifierAdapter::toClassification)
        .toList();
  }

  static Classification toClassification(SequenceClassification result) {
    Map<String, Double> scores = new LinkedHashMap<>();
    result.scores().forEach((label, p) -> scores.put(label, p.doubleValue()));
    return new Classification(result.label(), result.confidence(), scores);
  }
}

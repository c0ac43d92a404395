package io.semroute.extproc.classifiers;

import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.batch.SharedHead;
import io.semroute.extproc.decision.Classification;
import io.semroute.extproc.decision.Classifier;
import io.semroute.extproc.decision.Futures;
import io.semroute.extproc.metrics.RouterMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A sequence classifier (category, jailbreak, task type) on its encoder pass (shared with the other
 * heads over the same encoder, see {@link EncoderPasses}). As a routing {@link Classifier} (the
 * category model) its label is the category and its softmax probability the confidence; concurrent
 * requests share encoder passes and the gRPC threads only wait.
 *
 * <p>The {@link ClassifierCache} owns it: a config reload that keeps the same path must not reload
 * the weights.
 */
public final class LoadedSequenceClassifier implements LoadedClassifier, Classifier {
  private final SequenceClassifier classifier;
  private final HeadLane<SequenceClassification> lane;

  LoadedSequenceClassifier(String name, SequenceClassifier classifier, EncoderPasses passes) {
    this.classifier = classifier;
    this.lane = passes.lane(name, SharedHead.sequence(name, classifier));
  }

  /** A classifier with a micro-batcher of its own (no pass shared with other heads). */
  public LoadedSequenceClassifier(String name, SequenceClassifier classifier, BatchPolicy policy) {
    this(name, classifier, new EncoderPasses(policy));
  }

  /** The labels in logit order. */
  public List<String> labels() {
    return classifier.labels().labels();
  }

  /**
   * Queues one text; the future holds every label's probability and fails on deadline, overload or
   * classifier error.
   */
  public CompletableFuture<Map<String, Double>> scores(String text) {
    return submit(text).thenApply(c -> toDoubles(c.scores()));
  }

  @Override
  public Classification classify(String text) {
    return classifyAll(List.of(text)).get(0);
  }

  @Override
  public List<Classification> classifyAll(List<String> texts) {
    return Futures.joinAll(texts.stream().map(this::submit).toList(), "category model").stream()
        .map(c -> new Classification(c.label(), c.confidence(), toDoubles(c.scores())))
        .toList();
  }

  private CompletableFuture<SequenceClassification> submit(String text) {
    try {
      return lane.submit(text);
    } catch (RuntimeException e) {
      // Tokenizing happens on this thread; a classifier closed by a reload (while an old request
      // still holds it) must fail the future like any other failure, not the caller.
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Map<String, Double> toDoubles(Map<String, Float> scores) {
    Map<String, Double> out = new LinkedHashMap<>();
    scores.forEach((label, p) -> out.put(label, p.doubleValue()));
    return out;
  }

  @Override
  public void observe(RouterMetrics metrics, String role) {
    lane.observe(LoadedClassifier.observer(metrics, role));
  }

  @Override
  public void close() {
    lane.close(classifier::close);
  }
}

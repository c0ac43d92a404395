package io.semroute.extproc.classifiers;

import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.batch.BatchedEncoder;
import io.semroute.classifier.batch.SharedHead;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A sequence classifier (domain or jailbreak) behind its micro-batcher. */
public final class LoadedSequenceClassifier implements LoadedClassifier {
  private final SequenceClassifier classifier;
  private final SharedHead<SequenceClassification> head;
  private final BatchedEncoder batcher;

  public LoadedSequenceClassifier(String name, SequenceClassifier classifier, BatchPolicy policy) {
    this.classifier = classifier;
    this.head = SharedHead.sequence(name, classifier);
    this.batcher = BatchedEncoder.start(name, policy, head);
  }

  /** The labels in logit order. */
  public List<String> labels() {
    return classifier.labels().labels();
  }

  /** Queues one text; the future fails on deadline, overload or model error. */
  public CompletableFuture<SequenceClassification> submit(String text) {
    try {
      return batcher.submit(text).thenApply(out -> out.get(head));
    } catch (RuntimeException e) {
      // Tokenizing happens on this thread; a model closed by a reload (while an old request
      // still holds it) must fail the future like any other model failure, not the caller.
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() {
    batcher.close();
    classifier.close();
  }
}

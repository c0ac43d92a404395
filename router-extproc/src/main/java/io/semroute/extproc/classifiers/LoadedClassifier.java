package io.semroute.extproc.classifiers;

import io.semroute.classifier.batch.BatchObserver;
import io.semroute.extproc.metrics.RouterMetrics;

/**
 * A loaded classifier (its weights) together with the micro-batcher that runs it off the gRPC
 * threads: concurrent requests are gathered into one encoder pass, the queue is bounded, and every
 * request has a deadline (a timed-out classification fails its future instead of holding the
 * stream).
 */
public sealed interface LoadedClassifier extends AutoCloseable
    permits LoadedSequenceClassifier, LoadedPiiDetector, LoadedEmbedder, LoadedOutcomeModel {

  /**
   * Reports this classifier's batches, queue waits and rejections to {@code metrics} under the
   * label {@code classifier=role} from now on (the last call wins when one model has two roles).
   */
  void observe(RouterMetrics metrics, String role);

  /** The observer that feeds {@code metrics} for one classifier role. */
  static BatchObserver observer(RouterMetrics metrics, String role) {
    return new BatchObserver() {
      @Override
      public void onBatch(long[] queueWaitNanos, long computeNanos) {
        metrics.classifierBatch(role, queueWaitNanos, computeNanos);
      }

      @Override
      public void onRejected() {
        metrics.classifierRejected(role);
      }
    };
  }

  /** Stops the batcher (queued work finishes within its deadline) and frees the native memory. */
  @Override
  void close();
}

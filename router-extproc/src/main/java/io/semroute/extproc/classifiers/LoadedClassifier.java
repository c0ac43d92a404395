package io.semroute.extproc.classifiers;

/**
 * A loaded classifier (its weights) together with the micro-batcher that runs it off the gRPC threads: concurrent
 * requests are gathered into one encoder pass, the queue is bounded, and every request has a
 * deadline (a timed-out classification fails its future instead of holding the stream).
 */
public sealed interface LoadedClassifier extends AutoCloseable
    permits LoadedSequenceClassifier, LoadedPiiDetector, LoadedEmbedder, LoadedOutcomeModel {

  /** Stops the batcher (queued work finishes within its deadline) and frees the native memory. */
  @Override
  void close();
}

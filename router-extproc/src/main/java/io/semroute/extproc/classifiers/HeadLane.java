package io.semroute.extproc.classifiers;

import io.semroute.classifier.batch.BatchObserver;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.batch.BatchedEncoder;
import io.semroute.classifier.batch.SharedHead;
import io.semroute.classifier.text.TokenizedText;
import java.util.concurrent.CompletableFuture;

/**
 * Where one loaded classifier's head gets its encoder passes: a member of the shared pass of its
 * base encoder ({@link EncoderPasses}), or, for a head on an encoder nobody shares (a ModernBERT
 * folder), a micro-batcher of its own. The classifiers above it do not care which.
 */
interface HeadLane<R> {

  /** Tokenizes on this thread with the head's own tokenizer, then queues. */
  CompletableFuture<R> submit(String text);

  /** Queues a text the head's own tokenizer produced. */
  CompletableFuture<R> submit(TokenizedText text);

  /** Batch statistics (for metrics) from now on. */
  void observe(BatchObserver observer);

  /**
   * Stops this lane, then runs {@code release} (which frees the head's native weights) once no
   * batch can still read them: at once for a shared pass (it waits for a batch in progress), or
   * when the own batcher's worker has ended (its close may give up on a batch past its deadline).
   */
  void close(Runnable release);

  /** A lane with its own batcher, as every classifier had before passes were shared. */
  static <R> HeadLane<R> own(String name, BatchPolicy policy, SharedHead<R> head) {
    BatchedEncoder batcher = BatchedEncoder.start(name, policy, head);
    return new HeadLane<>() {
      @Override
      public CompletableFuture<R> submit(String text) {
        return batcher.submit(text).thenApply(out -> out.get(head));
      }

      @Override
      public CompletableFuture<R> submit(TokenizedText text) {
        return batcher.batcher().submit(text).thenApply(out -> out.get(head));
      }

      @Override
      public void observe(BatchObserver observer) {
        batcher.batcher().observe(observer);
      }

      @Override
      public void close(Runnable release) {
        batcher.close();
        batcher.batcher().whenStopped(release);
      }
    };
  }
}

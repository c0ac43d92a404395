package io.semroute.classifier.batch;

/**
 * Told what a {@link MicroBatcher} does, for metrics. Called on the batcher's threads: must be fast
 * and must not throw (a throwing observer is logged and ignored).
 */
public interface BatchObserver {
  BatchObserver NONE =
      new BatchObserver() {
        @Override
        public void onBatch(long[] queueWaitNanos, long computeNanos) {}

        @Override
        public void onRejected() {}
      };

  /**
   * One call of the batch function finished (successfully or not).
   *
   * @param queueWaitNanos per input of the batch, how long it waited in the queue
   * @param computeNanos how long the batch function ran
   */
  void onBatch(long[] queueWaitNanos, long computeNanos);

  /** An input was refused because the queue was full. */
  void onRejected();
}

package io.semroute.classifier.batch;

/**
 * Counters since the batcher started, for logs, metrics and the benchmark.
 *
 * @param submitted requests accepted into the queue
 * @param rejected requests refused because the queue was full or the batcher closed
 * @param expired requests failed with {@link DeadlineExceededException} (most never computed)
 * @param completed requests answered with a result
 * @param failed requests whose batch function call threw
 * @param calls batch function calls
 * @param computedItems inputs passed to the batch function over all calls
 * @param largestCall most inputs passed in one call
 */
public record BatcherStats(
    long submitted,
    long rejected,
    long expired,
    long completed,
    long failed,
    long calls,
    long computedItems,
    int largestCall) {

  /** Mean inputs per batch function call; 0 before the first call. */
  public double meanCallSize() {
    return calls == 0 ? 0.0 : (double) computedItems / calls;
  }
}

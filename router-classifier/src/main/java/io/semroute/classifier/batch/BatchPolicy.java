package io.semroute.classifier.batch;

import java.time.Duration;

/**
 * How a {@link MicroBatcher} trades a little latency for throughput.
 *
 * @param maxBatchSize most inputs handed to one {@link BatchFunction} call
 * @param maxWait longest the oldest queued request may wait for company once the batcher has seen
 *     that other requests are pending. A request that arrives to an idle batcher never waits: it
 *     runs at once, so a single caller pays no batching tax.
 * @param queueCapacity pending requests beyond this are rejected with {@link QueueFullException}
 *     (backpressure instead of unbounded memory growth and unbounded latency)
 * @param defaultDeadline how long a request may take, queueing included, when the caller gives no
 *     deadline of its own
 * @param maxPaddingRatio within one call, padded tokens may be at most this many times the real
 *     tokens; a gathered batch that would pad more is split into length buckets
 * @param paddingSlackTokens sequences up to this many tokens always share a call: below it the
 *     per-call overhead costs more than the padding
 * @param workers threads calling the batch function; one is right when the function itself uses all
 *     cores (intra-op threads), more only if it does not
 */
public record BatchPolicy(
    int maxBatchSize,
    Duration maxWait,
    int queueCapacity,
    Duration defaultDeadline,
    double maxPaddingRatio,
    int paddingSlackTokens,
    int workers) {

  public BatchPolicy {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
    }
    if (maxWait == null || maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must be >= 0, got " + maxWait);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1, got " + queueCapacity);
    }
    if (defaultDeadline == null || defaultDeadline.isNegative() || defaultDeadline.isZero()) {
      throw new IllegalArgumentException("defaultDeadline must be > 0, got " + defaultDeadline);
    }
    if (!(maxPaddingRatio >= 1.0)) {
      throw new IllegalArgumentException("maxPaddingRatio must be >= 1, got " + maxPaddingRatio);
    }
    if (paddingSlackTokens < 0) {
      throw new IllegalArgumentException(
          "paddingSlackTokens must be >= 0, got " + paddingSlackTokens);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
  }

  /**
   * Defaults for a small CPU box: batches of up to 32, a 2 ms gathering window under load, room for
   * 1024 waiting requests, 5 s per request.
   */
  public static BatchPolicy defaults() {
    return new BatchPolicy(32, Duration.ofMillis(2), 1024, Duration.ofSeconds(5), 1.5, 32, 1);
  }

  public BatchPolicy withMaxBatchSize(int value) {
    return new BatchPolicy(
        value,
        maxWait,
        queueCapacity,
        defaultDeadline,
        maxPaddingRatio,
        paddingSlackTokens,
        workers);
  }

  public BatchPolicy withMaxWait(Duration value) {
    return new BatchPolicy(
        maxBatchSize,
        value,
        queueCapacity,
        defaultDeadline,
        maxPaddingRatio,
        paddingSlackTokens,
        workers);
  }

  public BatchPolicy withQueueCapacity(int value) {
    return new BatchPolicy(
        maxBatchSize,
        maxWait,
        value,
        defaultDeadline,
        maxPaddingRatio,
        paddingSlackTokens,
        workers);
  }

  public BatchPolicy withDefaultDeadline(Duration value) {
    return new BatchPolicy(
        maxBatchSize, maxWait, queueCapacity, value, maxPaddingRatio, paddingSlackTokens, workers);
  }

  public BatchPolicy withPadding(double ratio, int slackTokens) {
    return new BatchPolicy(
        maxBatchSize, maxWait, queueCapacity, defaultDeadline, ratio, slackTokens, workers);
  }

  public BatchPolicy withWorkers(int value) {
    return new BatchPolicy(
        maxBatchSize,
        maxWait,
        queueCapacity,
        defaultDeadline,
        maxPaddingRatio,
        paddingSlackTokens,
        value);
  }
}

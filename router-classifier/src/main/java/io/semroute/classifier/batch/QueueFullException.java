package io.semroute.classifier.batch;

import java.util.concurrent.RejectedExecutionException;

/** The batcher's bounded queue is full: the caller should shed load (e.g. answer 503/429). */
public final class QueueFullException extends RejectedExecutionException {
  public QueueFullException(String batcherName, int capacity) {
    super(
        "batcher '"
            + batcherName
            + "' is overloaded: "
            + capacity
            + " requests already waiting (queueCapacity); request rejected");
  }
}

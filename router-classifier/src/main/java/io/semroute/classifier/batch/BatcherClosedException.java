package io.semroute.classifier.batch;

import java.util.concurrent.RejectedExecutionException;

/** The batcher was shut down before this request could run. */
public final class BatcherClosedException extends RejectedExecutionException {
  public BatcherClosedException(String batcherName, String what) {
    super("batcher '" + batcherName + "' is closed: " + what);
  }
}

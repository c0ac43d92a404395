package io.semroute.classifier.batch;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A request's deadline passed before it produced a result. If it passed while the request was still
 * queued, the request was never computed.
 */
public final class DeadlineExceededException extends TimeoutException {
  public DeadlineExceededException(String batcherName, Duration deadline) {
    super(
        "batcher '"
            + batcherName
            + "': request deadline of "
            + deadline.toMillis()
            + " ms exceeded");
  }
}

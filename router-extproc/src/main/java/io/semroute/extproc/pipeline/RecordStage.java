package io.semroute.extproc.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** record: hands the request's {@link RequestSummary} to the listener when its stream ends. */
public final class RecordStage implements ResponseStage {
  private static final Logger log = LoggerFactory.getLogger(RecordStage.class);

  private final RequestListener listener;

  public RecordStage(RequestListener listener) {
    this.listener = listener;
  }

  @Override
  public void onEnd(RequestSummary summary) {
    try {
      listener.onRequestDone(summary);
    } catch (RuntimeException e) {
      log.warn("request listener failed", e);
    }
  }
}

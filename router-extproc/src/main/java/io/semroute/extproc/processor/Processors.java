package io.semroute.extproc.processor;

import io.semroute.extproc.openai.RequestKind;
import io.semroute.extproc.pipeline.Admission;
import io.semroute.extproc.pipeline.RequestInfo;
import io.semroute.extproc.pipeline.RequestListener;
import io.semroute.extproc.pipeline.RequestPipeline;
import io.semroute.extproc.pipeline.RouterSnapshot;
import java.time.Clock;
import java.util.Optional;

/** Picks the processor for a request by method and path. */
public final class Processors {
  private final RequestPipeline pipeline;
  private final RequestListener listener;
  private final Clock clock;
  private final Admission admission;

  /**
   * @param admission how many routed requests may run their classifiers at once
   */
  public Processors(
      RequestPipeline pipeline, RequestListener listener, Clock clock, Admission admission) {
    this.pipeline = pipeline;
    this.listener = listener;
    this.clock = clock;
    this.admission = admission;
  }

  /** For a stream whose request headers have not arrived: lets everything through. */
  public Processor beforeHeaders(long startNanos) {
    return new PassThroughProcessor(RequestInfo.unknown(startNanos), listener);
  }

  public Processor select(RequestInfo info, RouterSnapshot snapshot) {
    if ("GET".equals(info.method()) && "/v1/models".equals(info.path())) {
      return new ModelsProcessor(info, listener, snapshot.config(), clock);
    }
    Optional<RequestKind> routed =
        "POST".equals(info.method()) ? RequestKind.forPath(info.path()) : Optional.empty();
    return routed.isPresent()
        ? new RoutedProcessor(pipeline, snapshot, routed.get(), info, admission)
        : new PassThroughProcessor(info, listener);
  }
}

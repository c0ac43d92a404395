package io.semroute.extproc.processor;

import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.envoy.Replies;
import io.semroute.extproc.openai.ModelList;
import io.semroute.extproc.pipeline.RequestInfo;
import io.semroute.extproc.pipeline.RequestListener;
import java.time.Clock;

/** {@code GET /v1/models}: answered by the router itself ({@code auto} + the configured models). */
final class ModelsProcessor extends PassThroughProcessor {
  private final RouterConfig config;
  private final Clock clock;

  ModelsProcessor(RequestInfo info, RequestListener listener, RouterConfig config, Clock clock) {
    super(info, listener);
    this.config = config;
    this.clock = clock;
  }

  @Override
  public ProcessingResponse requestHeaders(HttpHeaders message) {
    answeredLocally(200);
    return Replies.immediateJson(
        200,
        ModelList.body(config, clock.instant().getEpochSecond()),
        "semantic-router: model list");
  }
}

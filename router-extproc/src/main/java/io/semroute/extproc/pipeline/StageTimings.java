package io.semroute.extproc.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where a request's time went, in nanoseconds.
 *
 * @param routing from the request body to the routing reply or answer, when the body arrived
 * @param stages each request stage that ran, by stage name ({@code parse}, {@code decide}...), in
 *     order
 * @param timeToFirstToken streamed responses: from the request body to the first response body
 *     message
 * @param total from the stream's opening to its end
 */
public record StageTimings(
    OptionalLong routing, Map<String, Long> stages, OptionalLong timeToFirstToken, long total) {

  public StageTimings {
    stages = Collections.unmodifiableMap(new LinkedHashMap<>(stages));
  }

  static StageTimings of(RequestContext ctx, long endNanos) {
    long body = ctx.bodyNanos();
    return new StageTimings(
        body != 0 && ctx.routedNanos() != 0
            ? OptionalLong.of(ctx.routedNanos() - body)
            : OptionalLong.empty(),
        ctx.stageNanos(),
        ctx.responseSse() && ctx.firstResponseBodyNanos() != 0 && body != 0
            ? OptionalLong.of(ctx.firstResponseBodyNanos() - body)
            : OptionalLong.empty(),
        endNanos - ctx.info().startNanos());
  }
}

package io.semroute.extproc.pipeline;

import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.openai.UsageReader;

/**
 * read usage: finds {@code usage} in the response as it passes (a JSON body, or the SSE chunks),
 * for the {@link RequestSummary} (tokens and cost). The bytes go on unchanged.
 */
public final class ReadUsageStage implements ResponseStage {

  @Override
  public void onHeaders(RequestContext ctx, Mutations reply) {
    ctx.usageReader(new UsageReader(ctx.responseSse()));
  }

  @Override
  public void onBody(RequestContext ctx, byte[] chunk, boolean endOfStream) {
    if (ctx.usageReader() != null) {
      ctx.usageReader().accept(chunk, endOfStream);
    }
  }
}

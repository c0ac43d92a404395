package io.semroute.extproc.pipeline;

import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.clientapi.NativeUsageReader;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.openai.UsageReader;

/**
 * read usage: finds {@code usage} in the response as it passes (a JSON body, or the SSE chunks),
 * for the {@link RequestSummary} (tokens and cost). It reads what the backend sent: Chat
 * Completions bytes (also for a translated answer, before translation), or a Messages or Responses
 * answer the backend served natively. The bytes go on unchanged.
 */
public final class ReadUsageStage implements ResponseStage {

  @Override
  public void onHeaders(RequestContext ctx, Mutations reply) {
    Upstream upstream = ctx.upstream();
    if (upstream != null && upstream.api() != ClientApi.CHAT_COMPLETIONS) {
      ctx.nativeUsage(new NativeUsageReader(upstream.api(), ctx.responseSse()));
      return;
    }
    ctx.usageReader(new UsageReader(ctx.responseSse()));
  }

  @Override
  public void onBody(RequestContext ctx, byte[] chunk, boolean endOfStream) {
    if (ctx.nativeUsage() != null) {
      ctx.nativeUsage().accept(chunk, endOfStream);
    } else if (ctx.usageReader() != null) {
      ctx.usageReader().accept(chunk, endOfStream);
    }
  }
}

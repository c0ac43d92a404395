package io.semroute.extproc.pipeline;

import io.semroute.extproc.cache.AnswerAssembler;
import io.semroute.extproc.cache.CacheRequest;
import io.semroute.extproc.cache.CachedAnswer;
import io.semroute.extproc.cache.NativeAnswerReader;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.openai.RequestKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cache store: rebuilds the upstream answer as it passes ({@link AnswerAssembler}: a 200 JSON body,
 * or SSE chunks in STREAMED mode up to {@code data: [DONE]}) and stores it when the whole answer
 * arrived complete, before the reply to the last body message. Errors, cut streams and tool calls
 * are never stored. A Messages or Responses answer is kept from the Chat Completions bytes it is
 * translated from, or from the backend's own JSON object ({@link NativeAnswerReader}). The bytes go
 * on unchanged.
 */
public final class CacheStoreStage implements ResponseStage {
  private static final Logger log = LoggerFactory.getLogger(CacheStoreStage.class);

  @Override
  public void onHeaders(RequestContext ctx, Mutations reply) {
    CacheRequest r = ctx.cacheRequest();
    if (r == null || r.skip() != null || !r.store()) {
      return;
    }
    Upstream upstream = ctx.upstream();
    if (upstream == null || upstream.translated()) {
      // Chat Completions bytes: the client's, or those a Messages or Responses answer is
      // translated from.
      ctx.cacheAnswer(
          new AnswerAssembler(
              ctx.kind() == RequestKind.CHAT_COMPLETIONS, ctx.responseStatus(), ctx.responseSse()));
    } else if (ctx.responseStatus() == 200 && !ctx.responseSse()) {
      // A backend's own Messages or Responses JSON; its streams are not read for the cache.
      ctx.nativeCacheAnswer(new NativeAnswerReader(upstream.api()));
    }
  }

  @Override
  public void onBody(RequestContext ctx, byte[] chunk, boolean endOfStream) {
    NativeAnswerReader reader = ctx.nativeCacheAnswer();
    if (reader != null) {
      reader.accept(chunk);
      if (endOfStream) {
        ctx.nativeCacheAnswer(null);
        CachedAnswer answer = reader.result();
        if (answer != null) {
          ctx.snapshot().cache().store(ctx.cacheRequest(), answer);
        }
      }
      return;
    }
    AnswerAssembler assembler = ctx.cacheAnswer();
    if (assembler == null) {
      return;
    }
    assembler.accept(chunk, endOfStream);
    if (endOfStream) {
      ctx.cacheAnswer(null);
      CachedAnswer answer = assembler.result();
      if (answer == null) {
        log.debug("request {}: answer not cached: {}", ctx.requestId(), assembler.refusal());
        return;
      }
      ctx.snapshot().cache().store(ctx.cacheRequest(), answer);
    }
  }
}

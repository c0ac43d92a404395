package io.semroute.extproc.pipeline;

import io.semroute.extproc.cache.AnswerAssembler;
import io.semroute.extproc.cache.CacheRequest;
import io.semroute.extproc.cache.CachedAnswer;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.openai.RequestKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cache store: rebuilds the upstream answer as it passes ({@link AnswerAssembler}: a 200 JSON body,
 * or SSE chunks in STREAMED mode up to {@code data: [DONE]}) and stores it when the whole answer
 * arrived complete, before the reply to the last body message. Errors, cut streams and tool calls
 * are never stored. The bytes go on unchanged.
 */
public final class CacheStoreStage implements ResponseStage {
  private static final Logger log = LoggerFactory.getLogger(CacheStoreStage.class);

  @Override
  public void onHeaders(RequestContext ctx, Mutations reply) {
    CacheRequest r = ctx.cacheRequest();
    // Messages and Responses answers are kept from the Chat Completions bytes of a translated
    // request; a backend's native answer is not read for the cache.
    boolean chatBytes = ctx.upstream() == null || ctx.upstream().translated();
    if (r != null && r.skip() == null && r.store() && chatBytes) {
      ctx.cacheAnswer(
          new AnswerAssembler(
              ctx.kind() == RequestKind.CHAT_COMPLETIONS, ctx.responseStatus(), ctx.responseSse()));
    }
  }

  @Override
  public void onBody(RequestContext ctx, byte[] chunk, boolean endOfStream) {
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

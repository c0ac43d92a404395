package io.semroute.extproc.pipeline;

import io.semroute.extproc.cache.AnswerRenderer;
import io.semroute.extproc.cache.CacheHitHeaders;
import io.semroute.extproc.cache.CacheRequest;
import io.semroute.extproc.cache.SemanticCache;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.guard.Screening;
import io.semroute.extproc.openai.ParsedRequest;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cache look-up: before the decision, so a hit costs no classification. Works out how the cache
 * treats the request (tenant partition, {@code cache-control}, temperature policy; see {@link
 * SemanticCache#begin}), tries the exact tier then the semantic tier, and on a hit waits for the
 * guards first: a request the jailbreak guard refuses (or could not check) goes on to {@link
 * GuardVerdictStage} and never gets a cached answer. The hit is an ImmediateResponse with {@code
 * x-vsr-cache-hit: true} in the client's format (JSON, or SSE for {@code stream: true}); a Messages
 * or Responses client gets it as that API's message or response (keys are per API).
 */
public final class CacheLookupStage implements RequestStage {
  private static final Logger log = LoggerFactory.getLogger(CacheLookupStage.class);

  @Override
  public StageResult apply(RequestContext ctx) {
    SemanticCache cache = ctx.snapshot().cache();
    if (!cache.enabled() || ctx.overloaded()) {
      // Overloaded: no embedding is computed, and a request that skips its guards must not be
      // answered from the cache either (a hit waits for the guards).
      return StageResult.proceed();
    }
    ParsedRequest request = ctx.request();
    CacheRequest r =
        ctx.agentApi()
            ? cache.begin(ctx::requestHeader, ctx.client())
            : cache.begin(ctx::requestHeader, request);
    ctx.cacheRequest(r);
    if (r.skip() != null) {
      log.debug("request {}: not cached: {}", ctx.requestId(), r.skip());
      return StageResult.proceed();
    }
    SemanticCache.Hit hit = cache.lookUp(r);
    if (hit == null) {
      return StageResult.proceed();
    }
    Screening screening = ctx.screening();
    // A flagged request is answered by a model, like one the guard fired on with action: flag.
    if (screening.guardUnavailable()
        || screening.jailbreak().blocked()
        || screening.jailbreak().flagged()) {
      return StageResult.proceed();
    }
    log.debug(
        "request {}: cache hit ({} tier, similarity {}, check: {})",
        ctx.requestId(),
        hit.tier(),
        String.format(Locale.ROOT, "%.3f", hit.similarity()),
        hit.semantic() ? hit.check() : "identical request");
    ctx.cacheHit(hit);
    if (ctx.agentApi()) {
      return StageResult.answer(
          200,
          AgentAnswers.answer(
              ctx,
              new Mutations().set(RoutingHeaders.VSR_CACHE_HIT, "true"),
              AgentAnswers.replay(ctx, hit.answer()),
              "semantic-router: cache hit"));
    }
    boolean includeUsage =
        request.body().path("stream_options").path("include_usage").asBoolean(false);
    byte[] body = AnswerRenderer.render(hit.answer(), request.stream(), includeUsage);
    Mutations m = new Mutations().set(RoutingHeaders.VSR_CACHE_HIT, "true");
    CacheHitHeaders.of(hit).forEach(m::set);
    return StageResult.answer(
        200,
        m.immediate(
            200, AnswerRenderer.contentType(request.stream()), body, "semantic-router: cache hit"));
  }
}

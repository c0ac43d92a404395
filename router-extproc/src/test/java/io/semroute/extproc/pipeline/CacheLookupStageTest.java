package io.semroute.extproc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.cache.CachedAnswer;
import io.semroute.extproc.cache.MemoryCacheStore;
import io.semroute.extproc.cache.SemanticCache;
import io.semroute.extproc.decision.DecisionEngine;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.guard.JailbreakVerdict;
import io.semroute.extproc.guard.PiiFindings;
import io.semroute.extproc.guard.RequestGuards;
import io.semroute.extproc.guard.Screening;
import io.semroute.extproc.openai.Json;
import org.junit.jupiter.api.Test;

/**
 * cache look-up, without sockets: a memory cache of the exact tier (no embedder), tenants by {@code
 * x-user-id}.
 */
class CacheLookupStageTest {
  private static final String QUESTION = StageFixtures.body("auto", "What is the integral of x?");

  private final RouterConfig cfg = StageFixtures.config();
  private final SemanticCache cache =
      new SemanticCache(TestConfigs.memoryCache(), new MemoryCacheStore(100), null);
  private final RouterSnapshot snapshot =
      new RouterSnapshot(cfg, DecisionEngine.keywordOnly(cfg), RequestGuards.NONE, cache);

  /** The request after parse and screen (guards: none configured, so a clean verdict). */
  private RequestContext screened(String body, String... headers) {
    RequestContext ctx = StageFixtures.chat(snapshot, body, headers);
    assertThat(new ParseStage().apply(ctx).answered()).isFalse();
    assertThat(new ScreenStage().apply(ctx).answered()).isFalse();
    return ctx;
  }

  private void storeAnswerFor(String tenant) {
    RequestContext ctx = screened(QUESTION, "x-user-id", tenant);
    cache.store(
        cache.begin(ctx::requestHeader, ctx.request()),
        new CachedAnswer(true, StageFixtures.QWEN, "x squared over two", "stop", 7));
  }

  @Test
  void aStoredAnswerIsAHitAnsweredByTheRouter() throws Exception {
    storeAnswerFor("alice");
    RequestContext ctx = screened(QUESTION, "x-user-id", "alice");
    StageResult result = new CacheLookupStage().apply(ctx);
    assertThat(result.status()).isEqualTo(200);
    assertThat(ctx.cacheLookedUp()).isTrue();
    assertThat(ctx.cacheHit()).isTrue();
    assertThat(StageFixtures.headersSet(result.answer()))
        .containsEntry(RoutingHeaders.VSR_CACHE_HIT, "true");
    JsonNode answer = Json.MAPPER.readTree(StageFixtures.bodyOf(result.answer()));
    assertThat(answer.path("choices").get(0).path("message").path("content").asText())
        .isEqualTo("x squared over two");
  }

  @Test
  void anotherTenantOrAnotherQuestionIsAMiss() {
    storeAnswerFor("alice");
    for (RequestContext ctx :
        new RequestContext[] {
          screened(QUESTION, "x-user-id", "bob"),
          screened(StageFixtures.body("auto", "What is the integral of y?"), "x-user-id", "alice")
        }) {
      assertThat(new CacheLookupStage().apply(ctx).answered()).isFalse();
      assertThat(ctx.cacheLookedUp()).isTrue();
      assertThat(ctx.cacheHit()).isFalse();
    }
  }

  @Test
  void noTenantOrNoCacheMeansNotLookedUp() {
    storeAnswerFor("alice");
    RequestContext anonymous = screened(QUESTION);
    assertThat(new CacheLookupStage().apply(anonymous).answered()).isFalse();
    assertThat(anonymous.cacheRequest().skip()).contains("x-user-id");
    assertThat(anonymous.cacheLookedUp()).isFalse();

    RequestContext noCache = screened(QUESTION, "x-user-id", "alice", "cache-control", "no-cache");
    assertThat(new CacheLookupStage().apply(noCache).answered()).isFalse();
    assertThat(noCache.cacheHit()).isFalse();
  }

  @Test
  void aHitNeverAnswersARequestTheJailbreakGuardRefusesOrCouldNotCheck() {
    storeAnswerFor("alice");
    for (Screening verdict :
        new Screening[] {
          new Screening(new JailbreakVerdict(true, 0.99), false, PiiFindings.NONE),
          new Screening(JailbreakVerdict.NOT_CHECKED, true, PiiFindings.NONE)
        }) {
      RequestContext ctx = screened(QUESTION, "x-user-id", "alice");
      ctx.screened(verdict);
      assertThat(new CacheLookupStage().apply(ctx).answered()).isFalse();
      assertThat(ctx.cacheHit()).isFalse();
    }
  }

  @Test
  void anOverloadedRouterSkipsTheCache() {
    storeAnswerFor("alice");
    RequestContext ctx = screened(QUESTION, "x-user-id", "alice");
    ctx.overloaded(4);
    assertThat(new CacheLookupStage().apply(ctx).answered()).isFalse();
    assertThat(ctx.cacheRequest()).isNull();
  }

  @Test
  void aDisabledCacheIsNeverAsked() {
    RequestContext ctx =
        StageFixtures.chat(RouterSnapshot.keywordOnly(cfg), QUESTION, "x-user-id", "alice");
    new ParseStage().apply(ctx);
    assertThat(new CacheLookupStage().apply(ctx).answered()).isFalse();
    assertThat(ctx.cacheRequest()).isNull();
  }
}

package io.semroute.extproc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.semroute.config.BlockResponse;
import io.semroute.config.GuardAction;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.cache.CachedAnswer;
import io.semroute.extproc.cache.MemoryCacheStore;
import io.semroute.extproc.cache.SemanticCache;
import io.semroute.extproc.decision.DecisionEngine;
import io.semroute.extproc.decision.DecisionReason;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.guard.JailbreakVerdict;
import io.semroute.extproc.guard.PiiFindings;
import io.semroute.extproc.guard.RequestGuards;
import io.semroute.extproc.guard.Screening;
import io.semroute.extproc.openai.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The summary a request's listeners, metrics and decision log share, made by the standard pipeline
 * from hand-built requests (no sockets): outcome, error, labels, guard actions, usage and cost.
 */
class RequestSummaryTest {
  private static final String USAGE =
      "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
          + "\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":5,\"total_tokens\":16}}";
  private static final String MATH = StageFixtures.body("auto", "the derivative of x^3");

  /** How the exchange goes after the request stages: upstream status (0: none) and cancel. */
  private record Upstream(int status, String body, boolean cancelled) {
    static final Upstream OK = new Upstream(200, USAGE, false);
  }

  private static RequestSummary run(
      RouterSnapshot snapshot, String body, Screening verdict, Upstream upstream, String... hdrs) {
    AtomicReference<RequestSummary> seen = new AtomicReference<>();
    RequestPipeline pipeline =
        RequestPipeline.standard(
            new EndpointPicker(() -> new Random(1)), seen::set, null, Tracing.OFF);
    RequestContext ctx = StageFixtures.chat(snapshot, body, hdrs);
    pipeline.onStart(ctx);
    if (verdict != null) {
      ctx.screened(verdict);
    }
    StageResult result = pipeline.onRequest(ctx);
    if (!result.answered() && upstream.status() != 0) {
      ctx.response(upstream.status(), false, false);
      pipeline.onResponseHeaders(ctx, new Mutations());
      pipeline.onResponseBody(ctx, upstream.body().getBytes(StandardCharsets.UTF_8), true);
    }
    pipeline.onEnd(ctx, upstream.cancelled());
    return seen.get();
  }

  private static RequestSummary run(RouterConfig cfg, String body, Screening verdict) {
    return run(RouterSnapshot.keywordOnly(cfg), body, verdict, Upstream.OK);
  }

  @Test
  void aRoutedRequestCarriesItsLabelsUsageCostAndTimings() {
    RequestSummary s = run(StageFixtures.config(), MATH, null);
    assertThat(s.outcome()).isEqualTo(RequestOutcome.ROUTED);
    assertThat(s.error()).isNull();
    assertThat(s.routedDecision()).isSameAs(s.decision());
    assertThat(s.model()).isEqualTo(StageFixtures.QWEN);
    assertThat(s.category()).isEqualTo("math");
    assertThat(s.reason()).isEqualTo(DecisionReason.CATEGORY);
    assertThat(s.stream()).isFalse();
    assertThat(s.responseStatus()).isEqualTo(200);
    assertThat(s.usage().completionTokens()).isEqualTo(5);
    // qwen3-8b: 2.0 per 1M prompt tokens, 6.0 per 1M completion tokens
    assertThat(s.cost().amount()).isCloseTo((11 * 2.0 + 5 * 6.0) / 1e6, within(1e-15));
    assertThat(s.cost().currency()).isEqualTo("USD");
    assertThat(s.timings().stages().keySet())
        .containsExactly(
            "parse", "screen", "cache_lookup", "decide", "guard_verdict", "pii_policy", "mutate");
    assertThat(s.timings().routing()).isPresent();
    assertThat(s.timings().timeToFirstToken()).as("not a stream").isEmpty();
    assertThat(s.timings().total()).isGreaterThanOrEqualTo(s.timings().routing().getAsLong());
    assertThat(s.traceId()).as("tracing off").isNull();
    assertThat(s.prompts()).as("include_prompts off").isNull();
  }

  @Test
  void aNamedModelIsExplicitInTheDefaultCategoryAndUnpricedModelsHaveNoCost() {
    RequestSummary s =
        run(StageFixtures.config(), StageFixtures.body(StageFixtures.LLAMA, "hi"), null);
    assertThat(s.reason()).isEqualTo(DecisionReason.EXPLICIT);
    assertThat(s.category()).isEqualTo("default");
    assertThat(s.usage()).isNotNull();
    assertThat(s.cost()).isNull();
  }

  @Test
  void aBadBodyIsABadRequestErrorWithoutADecision() {
    RequestSummary s = run(StageFixtures.config(), "{broken", null);
    assertThat(s.outcome()).isEqualTo(RequestOutcome.ERROR);
    assertThat(s.error()).isEqualTo(ErrorReason.BAD_REQUEST);
    assertThat(s.immediateStatus()).isEqualTo(400);
    assertThat(s.model()).isEqualTo("none");
    assertThat(s.category()).isEqualTo("none");
    assertThat(s.reason()).isEqualTo(DecisionReason.NONE);
    assertThat(s.stream()).isNull();
    assertThat(s.timings().stages().keySet()).containsExactly("parse");
  }

  @Test
  void upstreamErrorsAndCancelledStreamsStayRoutedWithTheirError() {
    RouterSnapshot snapshot = RouterSnapshot.keywordOnly(StageFixtures.config());
    assertThat(run(snapshot, MATH, null, new Upstream(503, "{}", false)).error())
        .isEqualTo(ErrorReason.UPSTREAM_5XX);
    assertThat(run(snapshot, MATH, null, new Upstream(429, "{}", false)).error())
        .isEqualTo(ErrorReason.UPSTREAM_4XX);
    RequestSummary cut = run(snapshot, MATH, null, new Upstream(0, null, true));
    assertThat(cut.outcome()).isEqualTo(RequestOutcome.ROUTED);
    assertThat(cut.error()).isEqualTo(ErrorReason.CANCELLED);
    assertThat(cut.cancelled()).isTrue();
  }

  @Test
  void jailbreakVerdictsBecomeOutcomesAndActions() {
    RouterConfig base = StageFixtures.config();
    Screening fired = new Screening(new JailbreakVerdict(true, 0.9), false, PiiFindings.NONE);
    Screening unavailable = new Screening(JailbreakVerdict.NOT_CHECKED, true, PiiFindings.NONE);

    RequestSummary blocked =
        run(
            StageFixtures.withJailbreak(base, GuardAction.BLOCK, true, BlockResponse.COMPLETION),
            MATH,
            fired);
    assertThat(blocked.outcome()).isEqualTo(RequestOutcome.BLOCKED);
    assertThat(blocked.error()).isNull();
    assertThat(blocked.jailbreakAction()).isEqualTo("block");
    assertThat(blocked.decision()).as("decided before the verdict").isNotNull();
    assertThat(blocked.routedDecision()).isNull();

    RequestSummary flagged =
        run(
            StageFixtures.withJailbreak(base, GuardAction.FLAG, true, BlockResponse.COMPLETION),
            MATH,
            fired);
    assertThat(flagged.outcome()).isEqualTo(RequestOutcome.ROUTED);
    assertThat(flagged.jailbreakMark()).isEqualTo(JailbreakMark.FLAGGED);
    assertThat(flagged.jailbreakAction()).isEqualTo("flag");

    RequestSummary refused =
        run(
            StageFixtures.withJailbreak(base, GuardAction.BLOCK, true, BlockResponse.COMPLETION),
            MATH,
            unavailable);
    assertThat(refused.outcome()).isEqualTo(RequestOutcome.ERROR);
    assertThat(refused.error()).isEqualTo(ErrorReason.GUARD_UNAVAILABLE);
    assertThat(refused.jailbreakAction()).isNull();

    RequestSummary unchecked =
        run(
            StageFixtures.withJailbreak(base, GuardAction.BLOCK, false, BlockResponse.COMPLETION),
            MATH,
            unavailable);
    assertThat(unchecked.outcome()).isEqualTo(RequestOutcome.ROUTED);
    assertThat(unchecked.jailbreakAction()).isEqualTo("unchecked");
  }

  @Test
  void piiFoundIsAllowedReroutedOrBlockedAndNothingWithoutPii() {
    PiiFindings email = findings("EMAIL_ADDRESS");
    PiiFindings phone = findings("PHONE_NUMBER");
    RouterConfig cfg = StageFixtures.config();
    assertThat(run(cfg, MATH, null).piiAction()).isNull();
    assertThat(run(cfg, MATH, verdict(email)).piiAction()).isEqualTo(PiiAction.ALLOW);
    RequestSummary rerouted = run(cfg, MATH, verdict(phone));
    assertThat(rerouted.piiAction()).isEqualTo(PiiAction.REROUTED);
    assertThat(rerouted.model()).isEqualTo(StageFixtures.LLAMA);
    RequestSummary blocked =
        run(cfg, StageFixtures.body(StageFixtures.QWEN, "call 5551234"), verdict(phone));
    assertThat(blocked.piiAction()).isEqualTo(PiiAction.BLOCKED);
    assertThat(blocked.outcome()).isEqualTo(RequestOutcome.BLOCKED);
    assertThat(blocked.pii().types()).containsExactly("PHONE_NUMBER");
  }

  @Test
  void aCacheHitIsCachedWithoutADecision() {
    RouterConfig cfg = StageFixtures.config();
    SemanticCache cache =
        new SemanticCache(TestConfigs.memoryCache(), new MemoryCacheStore(10), null);
    RouterSnapshot snapshot =
        new RouterSnapshot(cfg, DecisionEngine.keywordOnly(cfg), RequestGuards.NONE, cache);
    RequestSummary miss = run(snapshot, MATH, null, Upstream.OK, "x-user-id", "alice");
    assertThat(miss.cacheLookedUp()).isTrue();
    assertThat(miss.cacheHit()).isFalse();

    RequestContext ctx = StageFixtures.chat(snapshot, MATH, "x-user-id", "alice");
    new ParseStage().apply(ctx);
    cache.store(
        cache.begin(ctx::requestHeader, ctx.request()),
        new CachedAnswer(true, StageFixtures.QWEN, "3x^2", "stop", 3));
    RequestSummary hit = run(snapshot, MATH, null, Upstream.OK, "x-user-id", "alice");
    assertThat(hit.outcome()).isEqualTo(RequestOutcome.CACHED);
    assertThat(hit.cacheHit()).isTrue();
    assertThat(hit.error()).isNull();
    assertThat(hit.model()).isEqualTo("none");
  }

  @Test
  void theDecisionLogSaysWhichTierAnsweredAndWhichCheckPassedWithoutPromptWords() throws Exception {
    RouterConfig cfg = StageFixtures.config();
    // Every text embeds to the same vector: the semantic tier is then decided by the check.
    float[] unit = new float[384];
    unit[0] = 1f;
    SemanticCache cache =
        new SemanticCache(
            TestConfigs.memoryCache(),
            new MemoryCacheStore(10),
            text -> CompletableFuture.completedFuture(unit));
    RouterSnapshot snapshot =
        new RouterSnapshot(cfg, DecisionEngine.keywordOnly(cfg), RequestGuards.NONE, cache);
    String asked =
        StageFixtures.body(StageFixtures.QWEN, "i would like to look up my credit score please");
    RequestContext ctx = StageFixtures.chat(snapshot, asked, "x-user-id", "alice");
    new ParseStage().apply(ctx);
    cache.store(
        cache.begin(ctx::requestHeader, ctx.request()),
        new CachedAnswer(true, StageFixtures.QWEN, "712", "stop", 3));

    RequestSummary exact = run(snapshot, asked, null, Upstream.OK, "x-user-id", "alice");
    assertThat(exact.cacheAnswer().tier()).isEqualTo("exact");
    assertThat(Json.MAPPER.readTree(DecisionLogStage.line(exact)).path("cache").toString())
        .isEqualTo("{\"tier\":\"exact\"}");

    RequestSummary reworded =
        run(
            snapshot,
            StageFixtures.body(StageFixtures.QWEN, "i gotta know my credit score"),
            null,
            Upstream.OK,
            "x-user-id",
            "alice");
    assertThat(reworded.outcome()).isEqualTo(RequestOutcome.CACHED);
    assertThat(reworded.cacheAnswer().check()).isEqualTo("no conflict: gotta / look up");
    String line = DecisionLogStage.line(reworded);
    assertThat(Json.MAPPER.readTree(line).path("cache").toString())
        .isEqualTo("{\"tier\":\"semantic\",\"similarity\":1.0,\"check\":\"no conflict\"}");
    assertThat(line).as("the matched words are prompt text").doesNotContain("gotta");

    RequestSummary another =
        run(
            snapshot,
            StageFixtures.body(
                StageFixtures.QWEN, "i would like to look up my credit card limit please"),
            null,
            Upstream.OK,
            "x-user-id",
            "alice");
    assertThat(another.cacheHit()).as("another question, however close its vector").isFalse();
    assertThat(Json.MAPPER.readTree(DecisionLogStage.line(another)).has("cache")).isFalse();
  }

  @Test
  void anUnroutedRequestIsOnlyItsStatuses() {
    RequestSummary s =
        RequestSummary.unrouted(
            new RequestInfo("GET", "/v1/models", "m-1", System.nanoTime()), 200, 0, false);
    assertThat(s.outcome()).isEqualTo(RequestOutcome.UNROUTED);
    assertThat(s.decision()).isNull();
    assertThat(s.routedDecision()).isNull();
    assertThat(s.immediateStatus()).isEqualTo(200);
    assertThat(s.pii().found()).isFalse();
  }

  private static PiiFindings findings(String type) {
    return PiiFindings.of(List.of(new PiiFindings.Located("/messages/0/content", 0, 3, type)));
  }

  private static Screening verdict(PiiFindings pii) {
    return new Screening(JailbreakVerdict.NOT_CHECKED, false, pii);
  }
}

package io.semroute.extproc.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.RateLimitRule;
import io.semroute.config.RateLimitSettings;
import io.semroute.extproc.cache.TenantPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The rate limiter over the memory store with a fake clock: windows, settlement, headers. */
class RateLimiterTest {
  private final FakeClock clock = new FakeClock();
  private final MemoryCounterStore store = new MemoryCounterStore(clock);

  private RateLimiter limiter(RateLimitSettings s) {
    return new RateLimiter(s, store, clock);
  }

  @Test
  void admitsExactlyTheRequestsPerMinuteThenRefusesUntilTheWindowTurns() {
    RateLimiter rl = limiter(Limits.memory(Limits.perTenant(3, 0, 0)));
    String alice = rl.tenantKey("alice");
    for (int i = 0; i < 3; i++) {
      RateLimitResult r = rl.admit(alice, "m", null, 10);
      assertThat(r.admitted()).isTrue();
      assertThat(r.headers().limitRequests()).isEqualTo(3);
      assertThat(r.headers().remainingRequests()).isEqualTo(2 - i);
      assertThat(r.headers().limitTokens()).isEqualTo(-1);
    }
    clock.advanceSeconds(20); // 21 s into the minute
    RateLimitResult refused = rl.admit(alice, "m", null, 10);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.rejectedBy()).isEqualTo("per-tenant");
    assertThat(refused.retryAfterSeconds()).isEqualTo(39);
    assertThat(refused.headers().remainingRequests()).isZero();
    assertThat(refused.headers().resetRequestsMillis()).isEqualTo(39_000);
    assertThat(refused.reservation()).isEqualTo(Reservation.NONE);
    // Another tenant has its own budget.
    assertThat(rl.admit(rl.tenantKey("bob"), "m", null, 10).admitted()).isTrue();
    clock.advanceSeconds(39);
    RateLimitResult next = rl.admit(alice, "m", null, 10);
    assertThat(next.admitted()).isTrue();
    assertThat(next.headers().remainingRequests()).isEqualTo(2);
  }

  @Test
  void aRefusalChargesNothing() {
    // Requests fit, tokens do not: the request budget must not be spent by the refusal.
    RateLimiter rl = limiter(Limits.memory(Limits.perTenant(2, 100, 0)));
    String t = rl.tenantKey("t");
    assertThat(rl.admit(t, "m", null, 80).admitted()).isTrue();
    RateLimitResult refused = rl.admit(t, "m", null, 30);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.headers().remainingRequests()).isEqualTo(1);
    assertThat(refused.headers().remainingTokens()).isEqualTo(20);
    RateLimitResult small = rl.admit(t, "m", null, 20);
    assertThat(small.admitted()).isTrue();
    assertThat(small.headers().remainingRequests()).isZero();
    assertThat(small.headers().remainingTokens()).isZero();
  }

  @Test
  void settlementReplacesTheEstimateWithTheRealCount() {
    RateLimiter rl = limiter(Limits.memory(Limits.perTenant(0, 1000, 5000)));
    String t = rl.tenantKey("t");
    RateLimitResult a = rl.admit(t, "m", null, 100);
    assertThat(a.reservation().estimatedTokens()).isEqualTo(100);
    assertThat(a.reservation().tokenKeys()).hasSize(2);
    assertThat(a.headers().remainingTokens()).isEqualTo(900);
    rl.settle(a.reservation(), 700); // prompt 100 + completion 600
    RateLimitResult b = rl.admit(t, "m", null, 100);
    assertThat(b.headers().remainingTokens()).isEqualTo(1000 - 700 - 100);
    rl.settle(b.reservation(), 40); // the estimate was too high: give 60 back
    assertThat(rl.admit(t, "m", null, 0).headers().remainingTokens()).isEqualTo(1000 - 740);
    // 260 left this minute: 300 does not fit, and the refusal waits for the minute.
    RateLimitResult refused = rl.admit(t, "m", null, 300);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(59);
    // A new minute, but the day remembers: 740 of 5000 used, then 4,200 more.
    clock.advanceSeconds(60);
    RateLimitResult c = rl.admit(t, "m", null, 0);
    assertThat(c.headers().limitTokens()).isEqualTo(1000);
    assertThat(c.headers().remainingTokens()).isEqualTo(1000);
    rl.settle(c.reservation(), 4200);
    clock.advanceSeconds(60);
    RateLimitResult dayGone = rl.admit(t, "m", null, 100);
    assertThat(dayGone.admitted()).isFalse();
    assertThat(dayGone.headers().limitTokens()).isEqualTo(5000);
    assertThat(dayGone.headers().remainingTokens()).isEqualTo(60);
    assertThat(dayGone.retryAfterSeconds()).isEqualTo(86_400 - 121);
  }

  @Test
  void theTokenHeadersShowTheTighterOfMinuteAndDay() {
    RateLimiter rl = limiter(Limits.memory(Limits.perTenant(0, 1000, 1500)));
    String t = rl.tenantKey("t");
    for (int i = 0; i < 3; i++) {
      rl.settle(rl.admit(t, "m", null, 0).reservation(), 400);
      clock.advanceSeconds(60);
    }
    // 1200 of the day's 1500 used; a fresh minute allows 1000: the day is tighter.
    RateLimitResult r = rl.admit(t, "m", null, 100);
    assertThat(r.headers().limitTokens()).isEqualTo(1500);
    assertThat(r.headers().remainingTokens()).isEqualTo(200);
    assertThat(r.headers().resetTokensMillis()).isEqualTo(86_400_000 - 181_000);
    RateLimitResult refused = rl.admit(t, "m", null, 300);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(86_400 - 181);
  }

  @Test
  void aSettlementAfterTheWindowEndedDoesNotLeakIntoTheNextOne() {
    RateLimiter rl = limiter(Limits.memory(Limits.perTenant(0, 1000, 0)));
    String t = rl.tenantKey("t");
    RateLimitResult a = rl.admit(t, "m", null, 100);
    clock.advanceSeconds(60);
    rl.settle(a.reservation(), 900);
    assertThat(rl.admit(t, "m", null, 0).headers().remainingTokens()).isEqualTo(1000);
  }

  @Test
  void rulesMatchTenantsModelsAndDecisions() {
    RateLimitRule vip = new RateLimitRule("vip", Set.of("alice"), Set.of("big"), Set.of(), 1, 0, 0);
    RateLimitRule strong = new RateLimitRule("strong", null, Set.of(), Set.of("strong"), 2, 0, 0);
    RateLimiter rl = limiter(Limits.memory(vip, strong));
    String alice = rl.tenantKey("alice");
    String bob = rl.tenantKey("bob");
    // No rule matches: unlimited, no headers.
    assertThat(rl.admit(bob, "big", null, 5)).isEqualTo(RateLimitResult.UNLIMITED);
    assertThat(rl.admit(alice, "small", "cheap", 5)).isEqualTo(RateLimitResult.UNLIMITED);
    // vip counts alice on big only.
    assertThat(rl.admit(alice, "big", null, 5).admitted()).isTrue();
    RateLimitResult r = rl.admit(alice, "big", null, 5);
    assertThat(r.admitted()).isFalse();
    assertThat(r.rejectedBy()).isEqualTo("vip");
    // strong counts any tenant routed by that decision; both rules apply to alice on big.
    assertThat(rl.admit(bob, "small", "strong", 5).admitted()).isTrue();
    assertThat(rl.admit(bob, "small", "strong", 5).admitted()).isTrue();
    assertThat(rl.admit(bob, "small", "strong", 5).rejectedBy()).isEqualTo("strong");
    assertThat(rl.admit(alice, "big", "strong", 5).rejectedBy()).isEqualTo("vip");
    // The listed id is compared hashed: a raw id as tenant key matches nothing.
    assertThat(rl.admit("alice", "big", null, 5)).isEqualTo(RateLimitResult.UNLIMITED);
  }

  @Test
  void requestsWithoutTheHeaderShareTheAnonymousTenant() {
    RateLimiter rl = limiter(Limits.memory(Limits.perTenant(1, 0, 0)));
    assertThat(rl.tenantKey(null)).isEqualTo(RateLimiter.ANONYMOUS);
    assertThat(rl.tenantKey("  ")).isEqualTo(RateLimiter.ANONYMOUS);
    assertThat(rl.admit(rl.tenantKey(null), "m", null, 1).admitted()).isTrue();
    assertThat(rl.admit(rl.tenantKey(""), "m", null, 1).admitted()).isFalse();
  }

  @Test
  void theTenantKeyIsTheSemanticCachesPartitionKey() {
    RateLimiter rl = limiter(Limits.memory(Limits.perTenant(1, 0, 0)));
    assertThat(rl.tenantKey(" alice "))
        .isEqualTo(TenantPartition.of("x-user-id", "alice"))
        .hasSize(32)
        .matches("[0-9a-f]{32}")
        .doesNotContain("alice");
  }

  @Test
  void aFailingStoreFailsOpenOrClosedAndIsCounted() {
    CounterStore broken =
        new CounterStore() {
          @Override
          public Outcome tryAdd(List<Counter> counters) {
            throw new StoreUnavailableException("down", null);
          }

          @Override
          public void adjust(List<String> keys, long delta) {
            throw new StoreUnavailableException("down", null);
          }

          @Override
          public long[] values(List<String> keys) {
            throw new StoreUnavailableException("down", null);
          }

          @Override
          public String describe() {
            return "broken";
          }

          @Override
          public void close() {}
        };
    RateLimitSettings open = Limits.memory(Limits.perTenant(1, 0, 0));
    RateLimiter failOpen = new RateLimiter(open, broken, clock);
    RateLimitResult a = failOpen.admit(failOpen.tenantKey("t"), "m", null, 1);
    assertThat(a.admitted()).isTrue();
    assertThat(a.storeUnavailable()).isTrue();
    assertThat(a.headers()).isNull();
    assertThat(failOpen.storeFailures()).isEqualTo(1);

    RateLimitSettings closed =
        new RateLimitSettings(true, "x-user-id", open.backend(), open.redis(), false, open.rules());
    RateLimiter failClosed = new RateLimiter(closed, broken, clock);
    RateLimitResult b = failClosed.admit(failClosed.tenantKey("t"), "m", null, 1);
    assertThat(b.admitted()).isFalse();
    assertThat(b.rejectedBy()).isEqualTo(RateLimitResult.STORE_UNAVAILABLE);
    assertThat(b.retryAfterSeconds()).isEqualTo(1);
    failClosed.settle(new Reservation(List.of("k"), 5), 10);
    assertThat(failClosed.storeFailures()).isEqualTo(2);
  }

  @Test
  void concurrentCallersNeverOverAdmit() throws Exception {
    RateLimiter rl = limiter(Limits.memory(Limits.perTenant(50, 0, 0)));
    String t = rl.tenantKey("t");
    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> admitted = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      admitted.add(
          pool.submit(
              () -> {
                start.await();
                int n = 0;
                for (int k = 0; k < 10; k++) {
                  n += rl.admit(t, "m", null, 1).admitted() ? 1 : 0;
                }
                return n;
              }));
    }
    start.countDown();
    int total = 0;
    for (Future<Integer> f : admitted) {
      total += f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertThat(total).isEqualTo(50);
  }

  @Test
  void headersAreNamedAndFormattedAsOpenAiSendsThem() {
    RateLimitHeaders h = new RateLimitHeaders(60, 59, 1_000, 150_000, 149_000, 360_000);
    assertThat(h.toHeaders())
        .containsExactly(
            Map.entry("x-ratelimit-limit-requests", "60"),
            Map.entry("x-ratelimit-remaining-requests", "59"),
            Map.entry("x-ratelimit-reset-requests", "1s"),
            Map.entry("x-ratelimit-limit-tokens", "150000"),
            Map.entry("x-ratelimit-remaining-tokens", "149000"),
            Map.entry("x-ratelimit-reset-tokens", "6m0s"));
    assertThat(new RateLimitHeaders(-1, -1, 0, 10, 3, 250).toHeaders())
        .containsOnlyKeys(
            "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens")
        .containsEntry("x-ratelimit-reset-tokens", "250ms");
    assertThat(RateLimitHeaders.duration(59_001)).isEqualTo("1m0s");
    assertThat(RateLimitHeaders.duration(86_399_000)).isEqualTo("23h59m59s");
  }
}

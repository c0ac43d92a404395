package io.semroute.extproc.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.semroute.config.RateLimitRule;
import io.semroute.config.RateLimitSettings;
import io.semroute.config.SemanticCacheSettings.RedisSettings;
import io.semroute.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The limiter over a real {@code redis-server}: two limiter instances, each with its own connection
 * pool, stand for two router replicas sharing one Redis. Skipped, saying why, when redis-server is
 * not installed.
 */
class RedisRateLimiterTest {
  private static RedisServer server;
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final FakeClock clock = new FakeClock(alignedNow());
  private final List<AutoCloseable> open = new ArrayList<>();
  private String prefix;

  @BeforeAll
  static void startRedis() throws Exception {
    server = RedisServer.startIfInstalled();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void needsRedis() {
    RedisServer.assumeRunning(server);
    prefix = "test" + PREFIXES.incrementAndGet() + ":rl:";
  }

  @AfterEach
  void closeStores() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /**
   * Real time rounded down to its minute, plus one second: the counters' TTLs are relative to this
   * clock, and Redis expires them in real time, so the clock must not sit in the past.
   */
  private static long alignedNow() {
    long now = System.currentTimeMillis();
    return now - now % 60_000 + 1_000;
  }

  private RateLimiter replica(
      RedisServer on, String passwordEnv, boolean failOpen, RateLimitRule r) {
    RedisSettings redis = new RedisSettings("127.0.0.1", on.port(), prefix, passwordEnv);
    RateLimitSettings s = Limits.redis(redis, failOpen, r);
    // Generous timeouts: on a loaded test machine a 250 ms one would make calls fail (fail open).
    RedisCounterStore store = new RedisCounterStore(redis, clock, 5_000);
    open.add(store);
    return new RateLimiter(s, store, clock);
  }

  private Jedis jedis(RedisServer on) {
    Jedis j = new Jedis("127.0.0.1", on.port());
    open.add(j);
    return j;
  }

  @Test
  void twoReplicasAdmitExactlyTheRequestsPerMinuteUnder32ConcurrentCallers() throws Exception {
    RateLimitRule rule = Limits.perTenant(60, 0, 0);
    RateLimiter a = replica(server, null, true, rule);
    RateLimiter b = replica(server, null, true, rule);
    String tenant = a.tenantKey("alice");
    assertThat(b.tenantKey("alice")).isEqualTo(tenant);
    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<int[]>> results = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      RateLimiter replica = i % 2 == 0 ? a : b;
      results.add(
          pool.submit(
              () -> {
                go.await();
                int[] n = new int[3]; // admitted, refused, store unavailable
                for (int k = 0; k < 10; k++) {
                  RateLimitResult r = replica.admit(tenant, "m", null, 1);
                  n[r.storeUnavailable() ? 2 : r.admitted() ? 0 : 1]++;
                }
                return n;
              }));
    }
    go.countDown();
    int admitted = 0;
    int refused = 0;
    int unavailable = 0;
    int admittedByA = 0;
    for (int i = 0; i < results.size(); i++) {
      int[] n = results.get(i).get(60, TimeUnit.SECONDS);
      admitted += n[0];
      refused += n[1];
      unavailable += n[2];
      admittedByA += i % 2 == 0 ? n[0] : 0;
    }
    pool.shutdown();
    assertThat(unavailable).as("no call may have failed (else fail-open would blur it)").isZero();
    assertThat(admitted).isEqualTo(60);
    assertThat(refused).isEqualTo(320 - 60);
    assertThat(admittedByA).isBetween(1, 59); // both replicas took part
    // Redis holds one counter for the tenant's minute, at the budget, expiring with the minute.
    Jedis j = jedis(server);
    List<String> keys = new ArrayList<>(j.keys(prefix + "*"));
    assertThat(keys)
        .containsExactly(
            prefix + "{" + tenant + "}:per-tenant:rm:" + Window.MINUTE.index(clock.getAsLong()));
    assertThat(j.get(keys.get(0))).isEqualTo("60");
    assertThat(j.pttl(keys.get(0))).isBetween(1L, 59_000L);
    // Another tenant has its own budget, on either replica.
    assertThat(b.admit(b.tenantKey("bob"), "m", null, 1).admitted()).isTrue();
    RateLimitResult refusedOnB = b.admit(tenant, "m", null, 1);
    assertThat(refusedOnB.admitted()).isFalse();
    assertThat(refusedOnB.retryAfterSeconds()).isEqualTo(59);
    assertThat(refusedOnB.headers().toHeaders())
        .containsEntry("x-ratelimit-limit-requests", "60")
        .containsEntry("x-ratelimit-remaining-requests", "0")
        .containsEntry("x-ratelimit-reset-requests", "59s");
  }

  @Test
  void tokensSettleFromTheRealCountAcrossReplicas() {
    RateLimitRule rule = Limits.perTenant(0, 1000, 100_000);
    RateLimiter a = replica(server, null, true, rule);
    RateLimiter b = replica(server, null, true, rule);
    String t = a.tenantKey("t");
    RateLimitResult first = a.admit(t, "m", null, 100);
    assertThat(first.headers().remainingTokens()).isEqualTo(900);
    a.settle(first.reservation(), 650); // usage: 150 prompt + 500 completion
    RateLimitResult second = b.admit(t, "m", null, 100);
    assertThat(second.headers().remainingTokens()).isEqualTo(1000 - 650 - 100);
    b.settle(second.reservation(), 20); // shorter than estimated: 80 back
    RateLimitResult third = a.admit(t, "m", null, 0);
    assertThat(third.headers().remainingTokens()).isEqualTo(1000 - 670);
    assertThat(a.admit(t, "m", null, 331).admitted()).isFalse();
    assertThat(b.admit(t, "m", null, 330).admitted()).isTrue();
    Jedis j = jedis(server);
    long day = Window.DAY.index(clock.getAsLong());
    assertThat(j.get(prefix + "{" + t + "}:per-tenant:td:" + day)).isEqualTo("1000");
    assertThat(j.pttl(prefix + "{" + t + "}:per-tenant:td:" + day))
        .isBetween(
            Window.DAY.remainingMillis(clock.getAsLong()) - 10_000,
            Window.DAY.remainingMillis(clock.getAsLong()));
    // A settlement never drives a counter below zero.
    a.settle(new Reservation(List.of("{" + t + "}:per-tenant:td:" + day), 5_000), 0);
    assertThat(j.get(prefix + "{" + t + "}:per-tenant:td:" + day)).isEqualTo("0");
    assertThat(a.storeFailures()).isZero();
  }

  @Test
  void scriptsAreSentAgainWhenRedisLostThem() {
    RateLimiter a = replica(server, null, true, Limits.perTenant(2, 0, 0));
    String t = a.tenantKey("t");
    assertThat(a.admit(t, "m", null, 1).admitted()).isTrue();
    jedis(server).scriptFlush();
    assertThat(a.admit(t, "m", null, 1).admitted()).isTrue();
    assertThat(a.admit(t, "m", null, 1).admitted()).isFalse();
    assertThat(a.storeFailures()).isZero();
  }

  @Test
  void thePasswordComesFromTheNamedVariable() throws Exception {
    String password = System.getenv("HOME");
    assumeTrue(password != null && !password.isBlank(), "HOME is not set");
    try (RedisServer locked = RedisServer.start()) {
      jedis(locked).configSet("requirepass", password);
      RateLimitRule rule = Limits.perTenant(5, 0, 0);
      RateLimiter withPassword = replica(locked, "HOME", false, rule);
      RateLimitResult ok = withPassword.admit(withPassword.tenantKey("t"), "m", null, 1);
      assertThat(ok.admitted()).isTrue();
      assertThat(ok.storeUnavailable()).isFalse();
      RateLimiter without = replica(locked, null, false, rule);
      RateLimitResult refused = without.admit(without.tenantKey("t"), "m", null, 1);
      assertThat(refused.storeUnavailable()).isTrue();
      assertThat(refused.rejectedBy()).isEqualTo(RateLimitResult.STORE_UNAVAILABLE);
    }
  }

  @Test
  void redisDownFailsOpenOrClosedAsConfiguredAndCountsIt() throws Exception {
    RedisServer doomed = RedisServer.start();
    open.add(doomed); // closed below; closing twice is harmless
    RateLimitRule rule = new RateLimitRule("per-tenant", null, Set.of(), Set.of(), 100, 0, 0);
    RateLimiter failOpen = replica(doomed, null, true, rule);
    RateLimiter failClosed = replica(doomed, null, false, rule);
    String t = failOpen.tenantKey("t");
    assertThat(failOpen.admit(t, "m", null, 1).storeUnavailable()).isFalse();
    assertThat(failClosed.admit(t, "m", null, 1).storeUnavailable()).isFalse();
    doomed.close();

    RateLimitResult open = failOpen.admit(t, "m", null, 1);
    assertThat(open.admitted()).isTrue();
    assertThat(open.storeUnavailable()).isTrue();
    assertThat(open.headers()).isNull();
    RateLimitResult closed = failClosed.admit(t, "m", null, 1);
    assertThat(closed.admitted()).isFalse();
    assertThat(closed.storeUnavailable()).isTrue();
    assertThat(closed.retryAfterSeconds()).isEqualTo(1);
    assertThat(closed.rejectedBy()).isEqualTo(RateLimitResult.STORE_UNAVAILABLE);
    // Within the back-off the store does not try again, and every such call still counts.
    for (int i = 0; i < 5; i++) {
      assertThat(failOpen.admit(t, "m", null, 1).admitted()).isTrue();
      assertThat(failClosed.admit(t, "m", null, 1).admitted()).isFalse();
    }
    failOpen.settle(open.reservation(), 10); // nothing reserved: nothing to send
    assertThat(failOpen.storeFailures()).isEqualTo(6);
    assertThat(failClosed.storeFailures()).isEqualTo(6);
    clock.advanceMillis(RedisCounterStore.RETRY_AFTER_MILLIS);
    assertThat(failClosed.admit(t, "m", null, 1).storeUnavailable()).isTrue();
    assertThat(failClosed.storeFailures()).isEqualTo(7);
  }
}

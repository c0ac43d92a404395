package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.extproc.emulator.Exchange;
import io.semroute.testkit.RedisServer;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Two routers (each its own gRPC server, Envoy emulator, mock backends and Redis connection pool)
 * sharing one real {@code redis-server} enforce one tenant budget between them: exactly the
 * configured requests per minute under 32 concurrent callers, and tokens settled from the real
 * usage of answers either router saw. Skipped, saying why, without the redis-server binary.
 */
class RedisFleetLimitsEndToEndTest {
  private static final String MATH = "What is the derivative of x squared?";
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static RedisServer redis;

  /**
   * Real time rounded down to its minute, plus one second, held still: every request falls into one
   * window, and the counters' TTLs (relative to this clock) stay in Redis's future.
   */
  private final long now = System.currentTimeMillis() / 60_000 * 60_000 + 1_000;

  private final List<FleetStack> stacks = new ArrayList<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.startIfInstalled();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void requireRedis() {
    RedisServer.assumeRunning(redis);
  }

  @AfterEach
  void close() {
    stacks.forEach(FleetStack::close);
  }

  /** Two routers on one Redis, one key prefix per test. */
  private FleetStack[] replicas(String rule) throws Exception {
    String yaml =
        """
        rate_limits:
          backend: redis
          redis: {address: "127.0.0.1:%d", key_prefix: "fleet%d:"}
          fail_open: true
          rules:
            - %s
        """
            .formatted(redis.port(), RUNS.incrementAndGet(), rule);
    for (int i = 0; i < 2; i++) {
      stacks.add(new FleetStack(FleetStack.config("", yaml), () -> now));
    }
    return stacks.toArray(FleetStack[]::new);
  }

  @Test
  void twoRoutersAdmitExactlyTheRequestsPerMinuteUnder32ConcurrentCallers() throws Exception {
    FleetStack[] routers =
        replicas("{name: per-tenant, match: {tenants: any}, requests_per_minute: 60}");
    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<int[]>> results = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      FleetStack router = routers[i % 2];
      results.add(
          pool.submit(
              () -> {
                go.await();
                int[] n = new int[3]; // 200, 429, other
                for (int k = 0; k < 4; k++) {
                  int status = router.ask("auto", MATH, "alice", false).status();
                  n[status == 200 ? 0 : status == 429 ? 1 : 2]++;
                }
                return n;
              }));
    }
    go.countDown();
    int ok = 0;
    int limited = 0;
    int other = 0;
    for (Future<int[]> f : results) {
      int[] n = f.get(120, TimeUnit.SECONDS);
      ok += n[0];
      limited += n[1];
      other += n[2];
    }
    pool.shutdown();
    for (FleetStack r : routers) {
      assertThat(r.metrics.scrape())
          .as("no Redis call failed (fail_open would blur the count)")
          .contains("llm_rate_limit_store_failures_total 0.0");
    }
    assertThat(other).isZero();
    assertThat(ok).isEqualTo(60);
    assertThat(limited).isEqualTo(128 - 60);
    long servedA = routers[0].qwen.served();
    long servedB = routers[1].qwen.served();
    assertThat(servedA + servedB).isEqualTo(60);
    assertThat(servedA).as("both routers admitted some").isBetween(1L, 59L);
    Exchange onB = routers[1].ask("auto", MATH, "bob", false);
    assertThat(onB.status()).as("another tenant has its own budget").isEqualTo(200);
    assertThat(onB.header("x-ratelimit-remaining-requests")).isEqualTo("59");
  }

  @Test
  void tokensSettleFromRealUsageSeenByEitherRouter() throws Exception {
    FleetStack[] routers =
        replicas("{name: tokens, match: {tenants: any}, tokens_per_minute: 100000}");
    Exchange first = routers[0].ask("auto", MATH, "carol", false);
    // A router settles when the request's stream ends, just after Envoy has the answer.
    routers[0].recordFor(routers[0].lastId.get());
    long used1 = first.json().path("usage").path("total_tokens").asLong();
    Exchange second = routers[1].ask("auto", MATH, "carol", true);
    routers[1].recordFor(routers[1].lastId.get());
    long estimate = 100_000 - used1 - Long.parseLong(second.header("x-ratelimit-remaining-tokens"));
    assertThat(estimate).isPositive().isNotEqualTo(used1);
    long used2 = FleetLimitsEndToEndTest.sseUsage(second);
    assertThat(used2).isPositive().isNotEqualTo(estimate);
    Exchange third = routers[0].ask("auto", MATH, "carol", false);
    assertThat(Long.parseLong(third.header("x-ratelimit-remaining-tokens")))
        .isEqualTo(100_000 - used1 - used2 - estimate);
  }
}

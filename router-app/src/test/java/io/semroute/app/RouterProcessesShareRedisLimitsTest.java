package io.semroute.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.peer.mock.MockVllmServer;
import io.semroute.testkit.RedisServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two router processes ({@code router serve}, each in its own JVM, as two replicas run) sharing one
 * real {@code redis-server} for {@code rate_limits}: Envoy's part played against each over real
 * gRPC ({@link EnvoySide}), mock vLLM backends over real HTTP. Across both processes a tenant gets
 * exactly its requests per minute under 32 concurrent callers, the rest 429 with {@code
 * retry-after}; and tokens settle from the real usage of a JSON and an SSE answer, as the other
 * process sees. Processes' configs and logs: {@code target/router-processes/}. Skipped, saying why,
 * without the redis-server binary.
 */
class RouterProcessesShareRedisLimitsTest {
  private static final String QWEN = "qwen3-8b";
  private static final String LLAMA = "llama-3.1-8b-instruct";
  private static final String MATH = "What is the derivative of x squared?";
  private static final int REQUESTS_PER_MINUTE = 60;
  private static final int TOKENS_PER_MINUTE = 100_000;

  /** Keyword routing only: no classifier to load, so each process is ready in seconds. */
  private static final String CONFIG =
      """
      default_model: llama-3.1-8b-instruct
      models:
        qwen3-8b: {}
        llama-3.1-8b-instruct: {}
      backends:
        - {name: vllm-qwen, address: vllm-qwen:8000, models: [qwen3-8b]}
        - {name: vllm-llama, address: vllm-llama:8000, models: [llama-3.1-8b-instruct]}
      categories:
        - name: math
          model_scores:
            - {model: qwen3-8b, score: 1.0}
            - {model: llama-3.1-8b-instruct, score: 0.4}
          keywords:
            - {score: 0.95, words: [derivative, integral]}
      rate_limits:
        backend: redis
        redis: {address: "127.0.0.1:%d", key_prefix: "replicas:"}
        rules:
          - {name: per-tenant, match: {tenants: any}, requests_per_minute: %d}
          - {name: tokens, match: {tenants: [carol]}, tokens_per_minute: %d}
      """;

  private static RedisServer redis;
  private static MockVllmServer qwen;
  private static MockVllmServer llama;
  private static final List<RouterProcess> routers = new ArrayList<>();
  private static final List<EnvoySide> envoys = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.startIfInstalled();
    if (redis == null) {
      return;
    }
    qwen =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-qwen", List.of(QWEN), 4)
            .start();
    llama =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-llama", List.of(LLAMA), 4)
            .start();
    String config = CONFIG.formatted(redis.port(), REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE);
    for (String name : List.of("replica-a", "replica-b")) {
      routers.add(RouterProcess.start(name, config)); // both start at once
    }
    for (RouterProcess router : routers) {
      router.awaitReady();
      envoys.add(
          new EnvoySide(
              router.grpcPort(),
              Map.of(QWEN, "127.0.0.1:" + qwen.port(), LLAMA, "127.0.0.1:" + llama.port()),
              LLAMA));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (EnvoySide envoy : envoys) {
      envoy.close();
    }
    for (RouterProcess router : routers) {
      router.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {qwen, llama, redis}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @BeforeEach
  void requireRedis() {
    RedisServer.assumeRunning(redis);
  }

  private static String chat(boolean stream) {
    return "{\"model\":\"auto\",\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\""
        + MATH
        + "\"}]}";
  }

  /**
   * Budgets count per calendar minute and the processes read the real clock: a test that needs one
   * window starts early enough in a minute to finish inside it (a second or two here).
   *
   * @return the minute it starts in
   */
  private static long awaitRoomInTheMinute(Duration needed) throws InterruptedException {
    long intoMinute = System.currentTimeMillis() % 60_000;
    if (60_000 - intoMinute < needed.toMillis()) {
      Thread.sleep(60_000 - intoMinute + 200);
    }
    return currentMinute();
  }

  private static long currentMinute() {
    return System.currentTimeMillis() / 60_000;
  }

  /**
   * Waits until {@code router} has counted more completion tokens than {@code before}: it settles a
   * request's tokens (and then counts them) when the request's stream ends, just after the client
   * has its answer.
   */
  private static void awaitSettled(RouterProcess router, double before) throws Exception {
    for (int i = 0; i < 500; i++) {
      if (router.metricSum("llm_model_completion_tokens_total") > before) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the router did not count the answer's usage; " + router.tail());
  }

  @Test
  void twoProcessesAdmitExactlyTheRequestsPerMinuteUnder32ConcurrentCallers() throws Exception {
    long minute = awaitRoomInTheMinute(Duration.ofSeconds(10));
    long servedBefore = qwen.served() + llama.served();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<EnvoySide.Answer>>> results = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      EnvoySide envoy = envoys.get(i % 2);
      results.add(
          pool.submit(
              () -> {
                go.await();
                List<EnvoySide.Answer> answers = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                  answers.add(
                      envoy.post("/v1/chat/completions", chat(false), "x-user-id", "alice"));
                }
                return answers;
              }));
    }
    go.countDown();
    List<EnvoySide.Answer> all = new ArrayList<>();
    int[] admittedBy = new int[2];
    for (int i = 0; i < results.size(); i++) {
      for (EnvoySide.Answer a : results.get(i).get(180, TimeUnit.SECONDS)) {
        all.add(a);
        if (a.status() == 200) {
          admittedBy[i % 2]++;
        }
      }
    }
    pool.shutdown();
    assertThat(currentMinute())
        .as("the requests all fell into one calendar minute")
        .isEqualTo(minute);

    for (RouterProcess router : routers) {
      assertThat(router.metricSum("llm_rate_limit_store_failures_total"))
          .as("no Redis call failed (fail_open would blur the count)")
          .isZero();
    }
    List<EnvoySide.Answer> admitted = all.stream().filter(a -> a.status() == 200).toList();
    List<EnvoySide.Answer> refused = all.stream().filter(a -> a.status() == 429).toList();
    assertThat(all).hasSize(128);
    assertThat(admitted).hasSize(REQUESTS_PER_MINUTE);
    assertThat(refused).hasSize(128 - REQUESTS_PER_MINUTE);
    assertThat(qwen.served() + llama.served() - servedBefore)
        .as("only admitted requests reached a backend")
        .isEqualTo(REQUESTS_PER_MINUTE);
    assertThat(admittedBy[0]).as("both processes admitted some").isBetween(1, 59);
    assertThat(admittedBy[1]).isEqualTo(REQUESTS_PER_MINUTE - admittedBy[0]);
    for (EnvoySide.Answer a : refused) {
      assertThat(Integer.parseInt(a.header("retry-after"))).isBetween(1, 60);
      assertThat(a.header("x-vsr-rate-limited")).isEqualTo("tenant_limit");
      assertThat(a.header("x-ratelimit-remaining-requests")).isEqualTo("0");
      assertThat(a.json().path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    }
    assertThat(admitted.stream().map(a -> a.header("x-ratelimit-remaining-requests")).distinct())
        .as("every admitted request saw its own count")
        .hasSize(REQUESTS_PER_MINUTE);

    EnvoySide.Answer bob =
        envoys.get(1).post("/v1/chat/completions", chat(false), "x-user-id", "bob");
    assertThat(bob.status()).as("another tenant has its own budget").isEqualTo(200);
    assertThat(bob.header("x-ratelimit-remaining-requests"))
        .isEqualTo(Integer.toString(REQUESTS_PER_MINUTE - 1));
  }

  @Test
  void tokensSettleFromTheRealUsageOfJsonAndSseAnswersAsTheOtherProcessSees() throws Exception {
    long minute = awaitRoomInTheMinute(Duration.ofSeconds(10));
    RouterProcess a = routers.get(0);
    RouterProcess b = routers.get(1);
    String[] carol = {"x-user-id", "carol"};

    double countedByA = a.metricSum("llm_model_completion_tokens_total");
    EnvoySide.Answer json = envoys.get(0).post("/v1/chat/completions", chat(false), carol);
    assertThat(json.status()).isEqualTo(200);
    long used1 = json.json().path("usage").path("total_tokens").asLong();
    awaitSettled(a, countedByA);

    double countedByB = b.metricSum("llm_model_completion_tokens_total");
    EnvoySide.Answer sse = envoys.get(1).post("/v1/chat/completions", chat(true), carol);
    assertThat(sse.status()).isEqualTo(200);
    assertThat(sse.header("content-type")).startsWith("text/event-stream");
    long estimate =
        TOKENS_PER_MINUTE - used1 - Long.parseLong(sse.header("x-ratelimit-remaining-tokens"));
    assertThat(estimate)
        .as("B saw A's settled usage, then charged its own prompt estimate")
        .isPositive()
        .isNotEqualTo(used1);
    long used2 = sse.sseTotalTokens();
    assertThat(used2).as("the final SSE usage chunk").isPositive().isNotEqualTo(estimate);
    awaitSettled(b, countedByB);

    EnvoySide.Answer third = envoys.get(0).post("/v1/chat/completions", chat(false), carol);
    assertThat(currentMinute())
        .as("the requests all fell into one calendar minute")
        .isEqualTo(minute);
    assertThat(Long.parseLong(third.header("x-ratelimit-remaining-tokens")))
        .as("A sees B's SSE answer settled to its real usage")
        .isEqualTo(TOKENS_PER_MINUTE - used1 - used2 - estimate);
  }
}

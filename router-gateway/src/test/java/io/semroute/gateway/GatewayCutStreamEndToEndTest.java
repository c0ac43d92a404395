package io.semroute.gateway;

import static io.semroute.gateway.GatewayEndToEndTest.chat;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.cache.SemanticCache;
import io.semroute.extproc.decision.DecisionEngine;
import io.semroute.extproc.guard.RequestGuards;
import io.semroute.extproc.limits.LimitStores;
import io.semroute.extproc.limits.LoggedBreakerListener;
import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.pipeline.RequestSummary;
import io.semroute.extproc.pipeline.RouterSnapshot;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.pipeline.Tracing;
import io.semroute.extproc.server.RouterServer;
import io.semroute.peer.mock.MockVllmServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A stream the backend cuts short (mock vLLM's {@code x-mock-cut-after}: status 200, some content
 * chunks, then the body ends without its final chunk and {@code data: [DONE]}) is a reset for the
 * model's circuit breaker, through the gateway over real HTTP and real ext_proc gRPC: the
 * configured number of cut streams in a row opens it, a whole stream in between breaks the run, a
 * cut probe opens it again and a whole one closes it; metrics and log lines as for any failure. The
 * router's clock is the test's, so the cool-down passes without sleeping.
 */
class GatewayCutStreamEndToEndTest {
  static final String QWEN = "qwen3-8b";
  static final String LLAMA = "llama-3.1-8b-instruct";
  static final String MATH = "What is the derivative of x^3?";

  static final String CONFIG =
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
      resilience:
        circuit_breaker: {consecutive_failures: 3, window_seconds: 60, cooldown_seconds: 30}
      """;

  /** 2026-01-01T00:00:01Z. */
  private final AtomicLong clock = new AtomicLong(1_767_225_601_000L);

  private final RouterMetrics metrics = new RouterMetrics();
  private final ConcurrentLinkedQueue<RequestSummary> records = new ConcurrentLinkedQueue<>();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger breakerLog = (Logger) LoggerFactory.getLogger(LoggedBreakerListener.class);
  private MockVllmServer qwen;
  private MockVllmServer llama;
  private LimitStores stores;
  private RouterServer router;
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    lines.start();
    breakerLog.addAppender(lines);
    RouterConfig config = ConfigLoader.parse(CONFIG, Path.of("cut-stream-test.yaml"));
    qwen =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-qwen", List.of(QWEN), 4)
            .start();
    llama =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-llama", List.of(LLAMA), 4)
            .start();
    stores =
        new LimitStores(
            clock::get, metrics.fleet().breakerListener(), metrics.fleet()::storeFailure);
    router =
        RouterServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            RouterSnapshots.of(
                new RouterSnapshot(
                    config,
                    DecisionEngine.keywordOnly(config),
                    RequestGuards.NONE,
                    SemanticCache.OFF,
                    stores.limitsFor(config))),
            ThreadLocalRandom::current,
            records::add,
            metrics,
            Tracing.OFF);
    gateway =
        Gateway.start(
            config,
            Gateway.Settings.defaults(
                new InetSocketAddress("127.0.0.1", 0),
                "127.0.0.1",
                router.grpcPort(),
                Map.of(QWEN, "127.0.0.1:" + qwen.port(), LLAMA, "127.0.0.1:" + llama.port())));
  }

  @AfterEach
  void stop() throws Exception {
    breakerLog.detachAppender(lines);
    for (AutoCloseable c : new AutoCloseable[] {gateway, router, stores, qwen, llama}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /**
   * A streamed {@code auto} maths question, cut by the backend after one content chunk or not; it
   * returns once the router has ended the request's stream (and so told the breaker).
   */
  private HttpResponse<String> stream(boolean cut) throws Exception {
    int before = records.size();
    HttpResponse<String> r =
        cut
            ? GatewayEndToEndTest.post(
                gateway.port(),
                "/v1/chat/completions",
                chat("auto", MATH, true),
                "x-mock-cut-after",
                "1")
            : GatewayEndToEndTest.post(
                gateway.port(), "/v1/chat/completions", chat("auto", MATH, true));
    for (int i = 0; i < 500 && records.size() == before; i++) {
      Thread.sleep(10);
    }
    assertThat(records).as("the router ended the request's stream").hasSize(before + 1);
    return r;
  }

  private double metric(String line) {
    for (String l : metrics.scrape().split("\n")) {
      if (l.startsWith(line + " ")) {
        return Double.parseDouble(l.substring(line.length() + 1));
      }
    }
    return 0;
  }

  @Test
  void cutStreamsInARowOpenTheBreakerAndACutProbeOpensItAgain() throws Exception {
    HttpResponse<String> cut = stream(true);
    assertThat(cut.statusCode()).isEqualTo(200);
    assertThat(cut.headers().firstValue("x-vsr-selected-model")).hasValue(QWEN);
    assertThat(cut.body()).as("the client got the part that came").contains("token0");
    assertThat(cut.body()).doesNotContain("[DONE]").doesNotContain("token1");
    stream(true);
    HttpResponse<String> whole = stream(false);
    assertThat(whole.body()).contains("[DONE]");
    assertThat(whole.headers().firstValue("x-vsr-selected-model"))
        .as("two cuts are not three: the breaker is still closed")
        .hasValue(QWEN);
    stream(true);
    stream(true);
    assertThat(stream(false).headers().firstValue("x-vsr-selected-model"))
        .as("the whole stream broke the run")
        .hasValue(QWEN);
    for (int i = 0; i < 3; i++) {
      assertThat(stream(true).headers().firstValue("x-vsr-selected-model")).hasValue(QWEN);
    }

    HttpResponse<String> avoided = stream(false);
    assertThat(avoided.statusCode()).isEqualTo(200);
    assertThat(avoided.headers().firstValue("x-vsr-selected-model")).hasValue(LLAMA);
    assertThat(avoided.headers().firstValue("x-vsr-shed")).hasValue(QWEN + "=breaker_open");
    assertThat(avoided.body()).contains("[DONE]");
    String model = "model=\"" + QWEN + "\"";
    assertThat(metric("llm_circuit_breaker_state{" + model + "}")).isEqualTo(1);
    assertThat(
            metric(
                "llm_circuit_breaker_transitions_total{from=\"closed\"," + model + ",to=\"open\"}"))
        .isEqualTo(1);

    clock.addAndGet(30_000);
    HttpResponse<String> cutProbe = stream(true);
    assertThat(cutProbe.headers().firstValue("x-vsr-selected-model")).hasValue(QWEN);
    assertThat(stream(false).headers().firstValue("x-vsr-selected-model"))
        .as("a probe cut short opens it again")
        .hasValue(LLAMA);

    clock.addAndGet(30_000);
    assertThat(stream(false).headers().firstValue("x-vsr-selected-model"))
        .as("the whole probe")
        .hasValue(QWEN);
    assertThat(stream(false).headers().firstValue("x-vsr-selected-model")).hasValue(QWEN);
    assertThat(metric("llm_circuit_breaker_state{" + model + "}")).isEqualTo(0);

    assertThat(lines.list.get(0).getLevel()).isEqualTo(Level.WARN);
    assertThat(lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList())
        .containsExactly(
            "circuit breaker of model "
                + QWEN
                + ": closed -> open (3 consecutive failures in 0 s, last: reset)",
            "circuit breaker of model "
                + QWEN
                + ": open -> half_open (cool-down of 30 s over, probing)",
            "circuit breaker of model " + QWEN + ": half_open -> open (probe failed (reset))",
            "circuit breaker of model "
                + QWEN
                + ": open -> half_open (cool-down of 30 s over, probing)",
            "circuit breaker of model " + QWEN + ": half_open -> closed (probe succeeded (200))");
  }
}

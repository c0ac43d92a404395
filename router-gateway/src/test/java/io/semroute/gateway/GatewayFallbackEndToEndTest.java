package io.semroute.gateway;

import static io.semroute.gateway.GatewayEndToEndTest.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.cache.SemanticCache;
import io.semroute.extproc.decision.DecisionEngine;
import io.semroute.extproc.guard.RequestGuards;
import io.semroute.extproc.limits.LimitStores;
import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.pipeline.RequestSummary;
import io.semroute.extproc.pipeline.RouterSnapshot;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.pipeline.Tracing;
import io.semroute.extproc.server.RouterServer;
import io.semroute.peer.mock.MockVllmServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code resilience.fallback} through the gateway, over real HTTP and real ext_proc gRPC: an
 * attempt that fails before its first byte (the backend answers 503, or is not there at all) is
 * answered by the next candidate model with the body rewritten for it, {@code x-vsr-fallback-from}
 * saying so; a request that named its model is not retried; at most {@code max_attempts}.
 */
class GatewayFallbackEndToEndTest {
  static final String QWEN = "qwen3-8b";
  static final String LLAMA = "llama-3.1-8b-instruct";
  static final String MATH = "What is the derivative of x^3?";

  static final String CONFIG =
      """
      default_model: llama-3.1-8b-instruct
      reasoning_families:
        qwen3: {type: chat_template_kwargs, parameter: enable_thinking}
      models:
        qwen3-8b: {reasoning_family: qwen3}
        llama-3.1-8b-instruct: {}
      backends:
        - {name: vllm-qwen, address: vllm-qwen:8000, models: [qwen3-8b]}
        - {name: vllm-llama, address: vllm-llama:8000, models: [llama-3.1-8b-instruct]}
      categories:
        - name: math
          system_prompt: "You are a careful mathematician."
          model_scores:
            - {model: qwen3-8b, score: 1.0, use_reasoning: true}
            - {model: llama-3.1-8b-instruct, score: 0.4}
          keywords:
            - {score: 0.95, words: [derivative, integral]}
      resilience:
        fallback: {max_attempts: 2}
      """;

  MockVllmServer qwen;
  MockVllmServer llama;
  RouterServer router;
  LimitStores stores;
  Gateway gateway;
  final RouterMetrics metrics = new RouterMetrics();
  final ConcurrentLinkedQueue<RequestSummary> records = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() throws Exception {
    RouterConfig config = ConfigLoader.parse(CONFIG, Path.of("fallback-test.yaml"));
    qwen =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-qwen", List.of(QWEN), 3)
            .start();
    llama =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-llama", List.of(LLAMA), 3)
            .start();
    stores =
        new LimitStores(
            System::currentTimeMillis,
            metrics.fleet().breakerListener(),
            metrics.fleet()::storeFailure);
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
    gateway = gateway(config, "127.0.0.1:" + qwen.port());
  }

  private Gateway gateway(RouterConfig config, String qwenAddress) throws Exception {
    return Gateway.start(
        config,
        Gateway.Settings.defaults(
            new InetSocketAddress("127.0.0.1", 0),
            "127.0.0.1",
            router.grpcPort(),
            Map.of(QWEN, qwenAddress, LLAMA, "127.0.0.1:" + llama.port())));
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {gateway, router, stores, qwen, llama}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private HttpResponse<String> post(String json) throws Exception {
    return GatewayEndToEndTest.post(gateway.port(), "/v1/chat/completions", json);
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
  void aFailedFirstAttemptIsAnsweredByTheNextCandidateWithTheBodyRewrittenForIt() throws Exception {
    qwen.failWith(503);
    HttpResponse<String> r = post(chat("auto", MATH, false));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-mock-instance")).hasValue("vllm-llama");
    assertThat(r.headers().firstValue("x-vsr-selected-model")).hasValue(LLAMA);
    assertThat(r.headers().firstValue("x-vsr-fallback-from")).hasValue(QWEN);
    JsonNode answer = Json.MAPPER.readTree(r.body());
    assertThat(answer.get("model").asText()).isEqualTo(LLAMA);
    // rewritten for llama: its name, the category's system prompt, no qwen3 thinking switch
    assertThat(answer.get("mock").toString())
        .contains("You are a careful mathematician.")
        .doesNotContain("enable_thinking");
    assertThat(qwen.served()).isEqualTo(1);
    assertThat(llama.served()).isEqualTo(1);
    assertThat(metric("llm_fallbacks_total{from=\"" + QWEN + "\"}")).isEqualTo(1);

    HttpResponse<String> streamed = post(chat("auto", MATH, true));
    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(streamed.headers().firstValue("x-vsr-fallback-from")).hasValue(QWEN);
    assertThat(streamed.body()).contains("\"model\":\"" + LLAMA + "\"").contains("[DONE]");
  }

  @Test
  void aBackendThatIsNotThereIsAFailedAttemptToo() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    gateway.close();
    gateway =
        gateway(ConfigLoader.parse(CONFIG, Path.of("fallback-test.yaml")), "127.0.0.1:" + closed);
    HttpResponse<String> r = post(chat("auto", MATH, false));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-vsr-fallback-from")).hasValue(QWEN);
    assertThat(r.headers().firstValue("x-mock-instance")).hasValue("vllm-llama");
  }

  @Test
  void aRequestThatNamedItsModelIsNotRetried() throws Exception {
    qwen.failWith(503);
    HttpResponse<String> r = post(chat(QWEN, MATH, false));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("x-vsr-fallback-from")).isEmpty();
    assertThat(llama.served()).isZero();
  }

  @Test
  void atMostMaxAttemptsThenTheLastAnswerGoesToTheClient() throws Exception {
    qwen.failWith(503);
    llama.failWith(502);
    HttpResponse<String> r = post(chat("auto", MATH, false));
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("x-vsr-fallback-from")).hasValue(QWEN);
    assertThat(qwen.served() + llama.served()).isEqualTo(2);
  }

  @Test
  void theRetryHeaderIsForTheRouterAloneAndNeverReachesABackend() throws Exception {
    qwen.failWith(503);
    HttpResponse<String> r =
        GatewayEndToEndTest.post(
            gateway.port(),
            "/v1/chat/completions",
            chat("auto", MATH, false),
            "x-vsr-fallback-exclude",
            LLAMA);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-vsr-fallback-from"))
        .as("the client's own header was ignored; the gateway's retry named the model tried")
        .hasValue(QWEN);
    assertThat(qwen.lastHeaders())
        .containsKey("x-request-id")
        .doesNotContainKey("x-vsr-fallback-exclude")
        .as("the plan of Envoy's retries, which the gateway does not use")
        .doesNotContainKeys("x-vsr-fallback-chain", "x-vsr-attempt-plan");
    assertThat(llama.lastHeaders())
        .as("the retry reached llama without the header the gateway set for the router")
        .containsKey("x-request-id")
        .doesNotContainKeys("x-vsr-fallback-exclude", "x-vsr-fallback-chain", "x-vsr-attempt-plan");
  }
}

package io.semroute.extproc.e2e;

import static io.semroute.extproc.e2e.FleetStack.LLAMA;
import static io.semroute.extproc.e2e.FleetStack.QWEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.config.ConfigLoader;
import io.semroute.extproc.attempt.AttemptHeaders;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.peer.AttemptRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fallback on a failed attempt the way Envoy does it, with deploy/envoy/envoy.yaml as shipped: the
 * downstream ext_proc pass (the real router over gRPC) plans the attempts, the fallback route's
 * retry policy sends attempt 2 to the next priority level, and the router's upstream pass (a new
 * ext_proc stream per attempt, carrying the chosen endpoint's metadata) rewrites the body for that
 * endpoint's model. The mock vLLM servers are real HTTP servers; a failing one answers 503.
 */
class EnvoyFallbackEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MATH = "What is the derivative of x squared?";
  private static final String FAMILIES =
      """
      reasoning_families:
        qwen3: {type: chat_template_kwargs, parameter: enable_thinking}
      """;

  private final AtomicLong clock = new AtomicLong(1_767_225_601_000L);
  private FleetStack stack;

  @AfterEach
  void close() {
    if (stack != null) {
      stack.close();
    }
  }

  private FleetStack start(String resilience) throws Exception {
    stack =
        new FleetStack(
            FleetStack.config("reasoning_family: qwen3", FAMILIES + resilience), clock::get);
    return stack;
  }

  private double fallbacksFrom(String model) {
    return metric("llm_fallbacks_total{from=\"" + model + "\"}");
  }

  private static JsonNode json(byte[] body) throws Exception {
    return JSON.readTree(body);
  }

  @Test
  void aFailedFirstAttemptIsAnsweredByTheNextCandidateWithTheBodyRewrittenForIt() throws Exception {
    start("resilience:\n  fallback: {max_attempts: 2}\n");
    stack.qwen.failWith(503);

    Exchange ex = stack.ask("auto", MATH, null, false);

    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.header(AttemptHeaders.FALLBACK_FROM)).isEqualTo(QWEN);
    assertThat(ex.header(AttemptHeaders.ATTEMPT_MODEL)).isEqualTo(LLAMA);
    assertThat(ex.header("x-vsr-shed")).isEqualTo(QWEN + "=failed");
    assertThat(stack.recordFor(stack.lastId.get()).shed()).containsExactly(QWEN + "=failed");
    assertThat(ex.json().path("model").asText()).isEqualTo(LLAMA);
    // The downstream pass planned the chain and Envoy took the fallback route.
    assertThat(ex.upstream().route()).isEqualTo("fallback-" + QWEN + "-then-" + LLAMA);
    assertThat(ex.upstream().headers().get(AttemptHeaders.CHAIN))
        .containsExactly(QWEN + "," + LLAMA);

    List<AttemptRecord> attempts = stack.envoy.lastAttempts();
    assertThat(attempts).hasSize(2);
    AttemptRecord first = attempts.get(0);
    AttemptRecord second = attempts.get(1);
    assertThat(first.endpoint()).isEqualTo("vllm-qwen:8000");
    assertThat(first.status()).isEqualTo(503);
    assertThat(json(first.body()).path("model").asText()).isEqualTo(QWEN);
    assertThat(json(first.body()).at("/chat_template_kwargs/enable_thinking").isBoolean())
        .as("qwen3's reasoning switch, set by the downstream pass")
        .isTrue();
    assertThat(second.endpoint()).isEqualTo("vllm-llama:8000");
    assertThat(second.status()).isEqualTo(200);
    JsonNode rewritten = json(second.body());
    assertThat(rewritten.path("model").asText()).isEqualTo(LLAMA);
    assertThat(rewritten.has("chat_template_kwargs"))
        .as("llama has no reasoning family: qwen3's switch is gone")
        .isFalse();
    assertThat(rewritten.at("/messages/0/content").asText()).isEqualTo(MATH);
    assertThat(second.header("content-length")).isEqualTo(Integer.toString(second.body().length));
    for (AttemptRecord a : attempts) {
      assertThat(a.header(AttemptHeaders.CHAIN)).as("plan headers never reach a backend").isNull();
      assertThat(a.header(AttemptHeaders.PLAN)).isNull();
    }
    assertThat(stack.llama.served()).isEqualTo(1);
    assertThat(fallbacksFrom(QWEN)).isEqualTo(1.0);
  }

  private double metric(String line) {
    for (String l : stack.metrics.scrape().split("\n")) {
      if (l.startsWith(line + " ")) {
        return Double.parseDouble(l.substring(line.length() + 1));
      }
    }
    return 0;
  }

  @Test
  void eachAttemptFeedsItsOwnModelsBreakerSoAFailingModelIsAvoided() throws Exception {
    start(
        """
        resilience:
          circuit_breaker: {consecutive_failures: 2, window_seconds: 60, cooldown_seconds: 30}
          fallback: {max_attempts: 2}
        """);
    stack.qwen.failWith(503);

    for (int i = 0; i < 2; i++) {
      Exchange ex = stack.ask("auto", MATH, null, false);
      assertThat(ex.status()).isEqualTo(200);
      assertThat(ex.header(AttemptHeaders.FALLBACK_FROM)).isEqualTo(QWEN);
    }
    // qwen's two 503s opened its breaker; llama's answers did not count for qwen.
    assertThat(metric("llm_circuit_breaker_state{model=\"" + QWEN + "\"}")).isEqualTo(1.0);
    assertThat(metric("llm_circuit_breaker_state{model=\"" + LLAMA + "\"}")).isZero();

    Exchange avoided = stack.ask("auto", MATH, null, false);
    assertThat(avoided.status()).isEqualTo(200);
    assertThat(avoided.header("x-vsr-shed")).isEqualTo(QWEN + "=breaker_open");
    assertThat(avoided.header(AttemptHeaders.FALLBACK_FROM)).isNull();
    assertThat(stack.envoy.lastAttempts())
        .extracting(AttemptRecord::endpoint)
        .containsExactly("vllm-llama:8000");
  }

  @Test
  void aBackendThatRefusesConnectionsIsRetriedOnTheNextCandidate() throws Exception {
    start("resilience:\n  fallback: {max_attempts: 2}\n");
    stack.qwen.close(); // connection refused: Envoy's connect-failure

    Exchange ex = stack.ask("auto", MATH, null, false);

    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.header(AttemptHeaders.FALLBACK_FROM)).isEqualTo(QWEN);
    assertThat(stack.envoy.lastAttempts())
        .extracting(AttemptRecord::endpoint, AttemptRecord::status)
        .containsExactly(tuple("vllm-qwen:8000", 0), tuple("vllm-llama:8000", 200));
    assertThat(fallbacksFrom(QWEN)).isEqualTo(1.0);
  }

  @Test
  void aStreamedRequestIsRetriedAndStreamedFromTheNextCandidate() throws Exception {
    start("resilience:\n  fallback: {max_attempts: 2}\n");
    stack.qwen.failWith(503);

    Exchange ex = stack.ask("auto", MATH, null, true);

    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.header("content-type")).startsWith("text/event-stream");
    assertThat(ex.header(AttemptHeaders.FALLBACK_FROM)).isEqualTo(QWEN);
    assertThat(ex.bodyText()).contains("\"model\":\"" + LLAMA + "\"").contains("[DONE]");
    JsonNode sent = json(stack.envoy.lastAttempts().get(1).body());
    assertThat(sent.path("model").asText()).isEqualTo(LLAMA);
    assertThat(sent.at("/stream_options/include_usage").asBoolean())
        .as("the downstream pass's usage request survives the rewrite")
        .isTrue();
  }

  @Test
  void aStreamCutShortByTheFallbackModelCountsAgainstThatModel() throws Exception {
    start(
        """
        resilience:
          circuit_breaker: {consecutive_failures: 2, window_seconds: 60, cooldown_seconds: 30}
          fallback: {max_attempts: 2}
        """);
    stack.qwen.failWith(503);
    for (int i = 0; i < 2; i++) {
      Exchange ex =
          stack.envoy.send(
              ClientRequest.postJson(
                      "/v1/chat/completions",
                      "{\"model\":\"auto\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                          + "\"content\":\""
                          + MATH
                          + "\"}]}")
                  .withHeader("x-mock-cut-after", "1"));
      assertThat(ex.header(AttemptHeaders.ATTEMPT_MODEL)).isEqualTo(LLAMA);
      assertThat(ex.bodyText()).doesNotContain("[DONE]");
    }
    // qwen's 503s and llama's cut streams, each on its own model's breaker.
    assertThat(metric("llm_circuit_breaker_state{model=\"" + QWEN + "\"}")).isEqualTo(1.0);
    assertThat(metric("llm_circuit_breaker_state{model=\"" + LLAMA + "\"}")).isEqualTo(1.0);
  }

  @Test
  void aSuccessfulFirstAttemptIsLeftAloneAndNotMarked() throws Exception {
    start("resilience:\n  fallback: {max_attempts: 2}\n");

    Exchange ex = stack.ask("auto", MATH, null, false);

    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.header(AttemptHeaders.FALLBACK_FROM)).isNull();
    assertThat(ex.json().path("model").asText()).isEqualTo(QWEN);
    List<AttemptRecord> attempts = stack.envoy.lastAttempts();
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0).header(AttemptHeaders.PLAN)).isNull();
    assertThat(fallbacksFrom(QWEN)).isZero();
  }

  @Test
  void aRequestNamingItsModelIsNotRetried() throws Exception {
    start("resilience:\n  fallback: {max_attempts: 2}\n");
    stack.qwen.failWith(503);

    Exchange ex = stack.ask(QWEN, MATH, null, false);

    assertThat(ex.status()).isEqualTo(503);
    assertThat(ex.upstream().route()).isEqualTo("model-" + QWEN);
    assertThat(ex.upstream().headers()).doesNotContainKey(AttemptHeaders.CHAIN);
    assertThat(stack.envoy.lastAttempts()).hasSize(1);
    assertThat(stack.llama.served()).isZero();
    assertThat(fallbacksFrom(QWEN)).isZero();
  }

  @Test
  void aRequestNamingItsModelFallsBackToTheDefaultWhenConfigured() throws Exception {
    start("resilience:\n  fallback: {max_attempts: 2, on_explicit_model: true}\n");
    stack.qwen.failWith(503);

    Exchange ex = stack.ask(QWEN, MATH, null, false);

    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.header(AttemptHeaders.FALLBACK_FROM)).isEqualTo(QWEN);
    assertThat(ex.json().path("model").asText()).isEqualTo(LLAMA);
    assertThat(stack.envoy.lastAttempts()).hasSize(2);
  }

  @Test
  void maxAttemptsIsHonoured() throws Exception {
    start("resilience:\n  fallback: {max_attempts: 1}\n");
    stack.qwen.failWith(503);

    Exchange once = stack.ask("auto", MATH, null, false);

    assertThat(once.status()).isEqualTo(503);
    assertThat(once.upstream().headers()).doesNotContainKey(AttemptHeaders.CHAIN);
    assertThat(stack.envoy.lastAttempts()).hasSize(1);
    assertThat(stack.llama.served()).isZero();
  }

  @Test
  void whenEveryAttemptFailsTheClientGetsTheLastAnswer() throws Exception {
    start("resilience:\n  fallback: {max_attempts: 3}\n");
    stack.qwen.failWith(503);
    stack.llama.failWith(502);

    Exchange ex = stack.ask("auto", MATH, null, false);

    // Two models: a chain of two, however many attempts are allowed.
    assertThat(stack.envoy.lastAttempts())
        .extracting(AttemptRecord::status)
        .containsExactly(503, 502);
    assertThat(ex.status()).isEqualTo(502);
    assertThat(ex.header(AttemptHeaders.FALLBACK_FROM)).isEqualTo(QWEN);
    assertThat(fallbacksFrom(QWEN)).isEqualTo(1.0);
  }

  @Test
  void withoutFallbackConfiguredAClientsOwnPlanHeadersAreRemoved() throws Exception {
    start("");
    stack.qwen.failWith(503);

    Exchange ex =
        stack.envoy.send(
            ClientRequest.postJson(
                    "/v1/chat/completions",
                    "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + MATH
                        + "\"}]}")
                .withHeader(AttemptHeaders.CHAIN, QWEN + "," + LLAMA)
                .withHeader(AttemptHeaders.PLAN, "W10"));

    assertThat(ex.status()).isEqualTo(503);
    assertThat(ex.upstream().route()).isEqualTo("model-" + QWEN);
    assertThat(stack.envoy.lastAttempts()).hasSize(1);
    assertThat(stack.envoy.lastAttempts().get(0).header(AttemptHeaders.CHAIN)).isNull();
    assertThat(stack.llama.served()).isZero();
  }

  private Exchange askMessages() throws Exception {
    return stack.envoy.send(
        ClientRequest.postJson(
            "/v1/messages",
            "{\"model\":\"auto\",\"max_tokens\":512,\"messages\":[{\"role\":\"user\","
                + "\"content\":\""
                + MATH
                + "\"}]}"));
  }

  @Test
  void aMessagesRequestServedInItsOwnApiFallsBackInThatApi() throws Exception {
    start("resilience:\n  fallback: {max_attempts: 2}\n");
    stack.qwen.failWith(503);

    Exchange ex = askMessages();

    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.header(AttemptHeaders.FALLBACK_FROM)).isEqualTo(QWEN);
    assertThat(ex.json().path("type").asText()).as("a Messages answer").isEqualTo("message");
    List<AttemptRecord> attempts = stack.envoy.lastAttempts();
    assertThat(attempts)
        .extracting(AttemptRecord::endpoint, AttemptRecord::status)
        .containsExactly(tuple("vllm-qwen:8000", 503), tuple("vllm-llama:8000", 200));
    JsonNode first = json(attempts.get(0).body());
    assertThat(first.at("/thinking/type").asText())
        .as("qwen3 has a reasoning family: the downstream pass set Messages' own switch")
        .isIn("enabled", "disabled");
    JsonNode second = json(attempts.get(1).body());
    assertThat(second.path("model").asText()).isEqualTo(LLAMA);
    assertThat(second.has("max_tokens")).as("still a Messages body").isTrue();
    assertThat(second.at("/messages/0/content").asText()).isEqualTo(MATH);
    assertThat(attempts.get(1).header("content-length"))
        .isEqualTo(Integer.toString(attempts.get(1).body().length));
  }

  @Test
  void aMessagesRequestIsNotMovedToAModelWhoseBackendsNeedItTranslated() throws Exception {
    String chatOnlyLlama =
        FleetStack.MODELS
            .formatted("reasoning_family: qwen3")
            .replace(
                "models: [llama-3.1-8b-instruct]}",
                "models: [llama-3.1-8b-instruct], apis: [chat_completions, completions]}");
    assertThat(chatOnlyLlama).contains("apis: [chat_completions");
    stack =
        new FleetStack(
            ConfigLoader.parse(
                chatOnlyLlama + FAMILIES + "resilience:\n  fallback: {max_attempts: 2}\n",
                Path.of("fleet-test.yaml")),
            clock::get);
    stack.qwen.failWith(503);

    Exchange ex = askMessages();

    // qwen answers Messages itself, llama only after translation to Chat Completions: an attempt
    // on llama would send it a Messages body, and the answer would be read in the wrong form.
    assertThat(ex.status()).isEqualTo(503);
    assertThat(ex.header(AttemptHeaders.FALLBACK_FROM)).isNull();
    assertThat(stack.envoy.lastAttempts()).hasSize(1);
    assertThat(stack.llama.served()).isZero();
  }
}

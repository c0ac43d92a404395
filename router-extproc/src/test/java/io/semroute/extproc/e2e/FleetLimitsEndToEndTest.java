package io.semroute.extproc.e2e;

import static io.semroute.extproc.e2e.FleetStack.LLAMA;
import static io.semroute.extproc.e2e.FleetStack.QWEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.limits.LoggedBreakerListener;
import io.semroute.extproc.pipeline.RequestSummary;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Shared-fleet limits through the Envoy emulator and a real router: tenant budgets (429 with {@code
 * retry-after} and the {@code x-ratelimit-*} headers, tokens settled from the answer's real usage),
 * a model at its limit that {@code auto} traffic overflows from, and a circuit breaker that keeps
 * {@code auto} traffic away from a 503ing model and probes it again after its cool-down. The
 * router's clock is the test's: windows and cool-downs pass without sleeping.
 */
class FleetLimitsEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MATH = "What is the derivative of x squared?";

  /** 2026-01-01T00:00:01Z: a second into a minute. */
  private final AtomicLong clock = new AtomicLong(1_767_225_601_000L);

  private FleetStack stack;

  @AfterEach
  void close() {
    if (stack != null) {
      stack.close();
    }
  }

  private FleetStack start(String qwenSpec, String rest) throws Exception {
    stack = new FleetStack(FleetStack.config(qwenSpec, rest), clock::get);
    return stack;
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
  void aTenantOverItsRequestBudgetGets429WithRetryAfterAndTheRateLimitHeaders() throws Exception {
    start(
        "",
        """
        rate_limits:
          rules:
            - {name: per-tenant, match: {tenants: any}, requests_per_minute: 3}
        """);
    for (int i = 0; i < 3; i++) {
      Exchange ok = stack.ask("auto", MATH, "alice", false);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.header("x-ratelimit-limit-requests")).isEqualTo("3");
      assertThat(ok.header("x-ratelimit-remaining-requests")).isEqualTo(Integer.toString(2 - i));
      assertThat(ok.header("x-ratelimit-reset-requests")).isEqualTo("59s");
    }
    Exchange refused = stack.ask("auto", MATH, "alice", false);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("retry-after")).isEqualTo("59");
    assertThat(refused.header("x-ratelimit-remaining-requests")).isEqualTo("0");
    assertThat(refused.header("x-vsr-rate-limited")).isEqualTo("tenant_limit");
    assertThat(refused.json().path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(refused.json().path("error").path("message").asText()).contains("per-tenant");
    assertThat(refused.upstream()).as("a refused request reaches no model").isNull();
    RequestSummary record = stack.recordFor(stack.lastId.get());
    assertThat(record.rateLimited()).isEqualTo("tenant_limit:per-tenant");
    assertThat(record.immediateStatus()).isEqualTo(429);
    assertThat(stack.qwen.served()).isEqualTo(3);

    assertThat(stack.ask("auto", MATH, "bob", false).status())
        .as("another tenant has its own budget")
        .isEqualTo(200);
    clock.addAndGet(60_000);
    assertThat(stack.ask("auto", MATH, "alice", false).status())
        .as("a new minute, a new budget")
        .isEqualTo(200);
    assertThat(metric("llm_rate_limited_total{reason=\"tenant_limit\"}")).isEqualTo(1);
    assertThat(metric("llm_request_errors_total{reason=\"rate_limited\"}")).isEqualTo(1);
  }

  @Test
  void tokensSettleFromTheAnswersRealUsageJsonAndSse() throws Exception {
    start(
        "",
        """
        rate_limits:
          rules:
            - {name: tokens, match: {tenants: any}, tokens_per_minute: 100000}
        """);
    Exchange first = stack.ask("auto", MATH, "carol", false);
    // The router settles when the request's stream ends, just after Envoy has the answer.
    stack.recordFor(stack.lastId.get());
    long used1 = first.json().path("usage").path("total_tokens").asLong();
    assertThat(used1).isPositive();
    Exchange second = stack.ask("auto", MATH, "carol", true);
    stack.recordFor(stack.lastId.get());
    // admitted with the first answer's real count settled and its own estimate reserved
    long estimate = 100_000 - used1 - remaining(second);
    assertThat(estimate).isPositive().isNotEqualTo(used1);
    long used2 = sseUsage(second);
    assertThat(used2).isPositive().isNotEqualTo(estimate);
    Exchange third = stack.ask("auto", MATH, "carol", false);
    assertThat(remaining(third))
        .as("the streamed answer's usage chunk settled its estimate")
        .isEqualTo(100_000 - used1 - used2 - estimate);
    assertThat(third.header("x-ratelimit-limit-tokens")).isEqualTo("100000");
  }

  private static long remaining(Exchange e) {
    return Long.parseLong(e.header("x-ratelimit-remaining-tokens"));
  }

  /** total_tokens of the final SSE usage chunk. */
  static long sseUsage(Exchange e) throws Exception {
    long total = -1;
    for (String line : e.bodyText().split("\n")) {
      if (line.startsWith("data: {")) {
        JsonNode chunk = JSON.readTree(line.substring(6));
        if (chunk.path("usage").has("total_tokens")) {
          total = chunk.path("usage").path("total_tokens").asLong();
        }
      }
    }
    return total;
  }

  @Test
  void anAutoRequestOverflowsFromAModelAtItsLimitAndOneNamingItGets429() throws Exception {
    start("limits: {requests_per_minute: 2}", "");
    for (int i = 0; i < 2; i++) {
      Exchange toQwen = stack.ask("auto", MATH, null, false);
      assertThat(toQwen.header("x-vsr-selected-model")).isEqualTo(QWEN);
      assertThat(toQwen.header("x-vsr-shed")).isNull();
    }
    Exchange overflow = stack.ask("auto", MATH, null, false);
    assertThat(overflow.status()).isEqualTo(200);
    assertThat(overflow.header("x-vsr-selected-model")).isEqualTo(LLAMA);
    assertThat(overflow.header("x-vsr-shed")).isEqualTo(QWEN + "=at_limit");
    assertThat(overflow.upstream().json().path("model").asText()).isEqualTo(LLAMA);
    RequestSummary record = stack.recordFor(stack.lastId.get());
    assertThat(record.shed()).containsExactly(QWEN + "=at_limit");
    assertThat(record.model()).isEqualTo(LLAMA);

    Exchange named = stack.ask(QWEN, MATH, null, false);
    assertThat(named.status()).isEqualTo(429);
    assertThat(named.header("x-vsr-rate-limited")).isEqualTo("model_limit");
    assertThat(named.header("retry-after")).isNotNull();
    assertThat(stack.qwen.served()).isEqualTo(2);
    assertThat(metric("llm_model_sheds_total{model=\"" + QWEN + "\",reason=\"at_limit\"}"))
        .isEqualTo(2);
    assertThat(metric("llm_rate_limited_total{reason=\"model_limit\"}")).isEqualTo(1);

    clock.addAndGet(60_000);
    assertThat(stack.ask("auto", MATH, null, false).header("x-vsr-selected-model")).isEqualTo(QWEN);
  }

  @Test
  void aBackendThatIsNotThereCountsAsResetsAndIsAvoided() throws Exception {
    start(
        "",
        """
        resilience:
          circuit_breaker: {consecutive_failures: 2, window_seconds: 60, cooldown_seconds: 30}
        """);
    stack.qwen.close(); // connect failures from now on
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> stack.ask("auto", MATH, null, false))
          .isInstanceOf(IOException.class);
    }
    // The router learns of each failure when Envoy cancels the stream: wait for the second.
    for (int i = 0; i < 200 && !stack.modelsInfo().contains("\"state\":\"open\""); i++) {
      Thread.sleep(10);
    }
    Exchange avoided = stack.ask("auto", MATH, null, false);
    assertThat(avoided.status()).isEqualTo(200);
    assertThat(avoided.header("x-vsr-selected-model")).isEqualTo(LLAMA);
    assertThat(avoided.header("x-vsr-shed")).isEqualTo(QWEN + "=breaker_open");
  }

  @Test
  void a503ingModelIsAvoidedAfterTheConfiguredFailuresAndProbedAfterTheCoolDown() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(LoggedBreakerListener.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      start(
          "",
          """
          resilience:
            circuit_breaker: {consecutive_failures: 2, window_seconds: 60, cooldown_seconds: 30}
          """);
      stack.qwen.failWith(503);
      for (int i = 0; i < 2; i++) {
        Exchange failed = stack.ask("auto", MATH, null, false);
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.header("x-vsr-selected-model")).isEqualTo(QWEN);
      }
      assertThat(stack.modelsInfo())
          .contains("\"name\":\"" + QWEN + "\"")
          .contains("\"state\":\"open\"");
      Exchange avoided = stack.ask("auto", MATH, null, false);
      assertThat(avoided.status()).isEqualTo(200);
      assertThat(avoided.header("x-vsr-selected-model")).isEqualTo(LLAMA);
      assertThat(avoided.header("x-vsr-shed")).isEqualTo(QWEN + "=breaker_open");
      assertThat(stack.qwen.served()).isEqualTo(2);
      Exchange named = stack.ask(QWEN, MATH, null, false);
      assertThat(named.status()).as("a request naming the model still goes to it").isEqualTo(503);
      assertThat(stack.qwen.served()).isEqualTo(3);

      clock.addAndGet(30_000);
      Exchange probe = stack.ask("auto", MATH, null, false);
      assertThat(probe.header("x-vsr-selected-model")).as("the probe").isEqualTo(QWEN);
      assertThat(probe.status()).isEqualTo(503);
      assertThat(stack.ask("auto", MATH, null, false).header("x-vsr-selected-model"))
          .as("a failed probe opens it again")
          .isEqualTo(LLAMA);

      stack.qwen.failWith(0);
      clock.addAndGet(30_000);
      Exchange healed = stack.ask("auto", MATH, null, false);
      assertThat(healed.status()).isEqualTo(200);
      assertThat(healed.header("x-vsr-selected-model")).isEqualTo(QWEN);
      assertThat(stack.ask("auto", MATH, null, false).header("x-vsr-selected-model"))
          .isEqualTo(QWEN);
      assertThat(stack.modelsInfo()).contains("\"state\":\"closed\"");

      String model = "model=\"" + QWEN + "\"";
      assertThat(
              metric(
                  "llm_circuit_breaker_transitions_total{from=\"closed\","
                      + model
                      + ",to=\"open\"}"))
          .isEqualTo(1);
      assertThat(
              metric(
                  "llm_circuit_breaker_transitions_total{from=\"half_open\","
                      + model
                      + ",to=\"open\"}"))
          .isEqualTo(1);
      assertThat(
              metric(
                  "llm_circuit_breaker_transitions_total{from=\"half_open\","
                      + model
                      + ",to=\"closed\"}"))
          .isEqualTo(1);
      assertThat(metric("llm_circuit_breaker_state{" + model + "}")).isEqualTo(0);
      List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(logged)
          .containsExactly(
              "circuit breaker of model "
                  + QWEN
                  + ": closed -> open (2 consecutive failures in 0 s, last: 503)",
              "circuit breaker of model "
                  + QWEN
                  + ": open -> half_open (cool-down of 30 s over, probing)",
              "circuit breaker of model " + QWEN + ": half_open -> open (probe failed (503))",
              "circuit breaker of model "
                  + QWEN
                  + ": open -> half_open (cool-down of 30 s over, probing)",
              "circuit breaker of model " + QWEN + ": half_open -> closed (probe succeeded (200))");
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  void aRetryHeaderSentByAClientIsChargedLikeAnyRequestAndNeverReachesTheBackend()
      throws Exception {
    start(
        "",
        """
        rate_limits:
          rules:
            - {name: per-tenant, match: {tenants: any}, requests_per_minute: 3}
        resilience:
          fallback: {max_attempts: 2}
        """);
    // Behind Envoy nothing stops a client from sending the gateway's retry header itself.
    ClientRequest request =
        ClientRequest.postJson(
                "/v1/chat/completions",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + MATH
                    + "\"}]}")
            .withHeader("x-user-id", "alice")
            .withHeader("x-vsr-fallback-exclude", QWEN);
    Exchange moved = stack.envoy.send(request);
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.header("x-vsr-selected-model")).isEqualTo(LLAMA);
    assertThat(moved.header("x-vsr-fallback-from")).isEqualTo(QWEN);
    assertThat(moved.header("x-ratelimit-remaining-requests"))
        .as("charged to the tenant's budget, so the header skips no budget")
        .isEqualTo("2");
    assertThat(stack.llama.lastHeaders())
        .containsKey("x-user-id")
        .doesNotContainKey("x-vsr-fallback-exclude");
  }
}

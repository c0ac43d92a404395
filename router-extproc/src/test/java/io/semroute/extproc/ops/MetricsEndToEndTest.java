package io.semroute.extproc.ops;

import static io.semroute.extproc.ops.OpsFixtures.http;
import static io.semroute.extproc.ops.OpsFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyEmulator;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.server.RouterServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a served router after real traffic through the Envoy emulator and the mock
 * vLLMs: requests by model/category/reason/outcome, tokens and cost from usage (JSON and SSE, the
 * SSE usage only because the router asked for it), time to first token, errors, reloads, JVM
 * metrics; and {@code promtool check metrics} on the output.
 */
class MetricsEndToEndTest {
  private static final int CHUNKS = 3;
  @TempDir static Path dir;
  private static OpsFixtures.Backends backends;
  private static RouterServer router;
  private static EnvoyEmulator envoy;
  private static String scrape;
  private static Exchange streamed;
  private static Exchange streamedClientChose;

  @BeforeAll
  static void traffic() throws Exception {
    Path config = dir.resolve("config.yaml");
    String yaml =
        OpsFixtures.keywordConfig("", "semantic_cache: {enabled: true, tenant_header: x-user-id}");
    Files.writeString(config, yaml);
    backends = new OpsFixtures.Backends(CHUNKS);
    router = RouterServer.start(config, r -> {});
    envoy = backends.envoy(router.grpcPort());

    // JSON, routed by keyword to qwen3-8b (math).
    Exchange json =
        envoy.send(
            ClientRequest.postJson(
                "/v1/chat/completions", chat("auto", "What is the derivative of x^3?", false)));
    assertThat(json.status()).isEqualTo(200);
    // SSE, routed to qwen3-8b: the router adds stream_options.include_usage.
    streamed =
        envoy.send(
            ClientRequest.postJson(
                "/v1/chat/completions", chat("auto", "Solve this equation: 2x = 4", true)));
    assertThat(streamed.status()).isEqualTo(200);
    // SSE to an explicit model whose client said include_usage: false: left alone, no usage.
    streamedClientChose =
        envoy.send(
            ClientRequest.postJson(
                "/v1/chat/completions",
                "{\"model\":\"llama-3.1-8b-instruct\",\"stream\":true,\"stream_options\":{\"include_usage\":false},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}"));
    assertThat(streamedClientChose.status()).isEqualTo(200);
    // Default model (no keyword), JSON.
    assertThat(
            envoy
                .send(
                    ClientRequest.postJson(
                        "/v1/chat/completions", chat("auto", "Tell me a joke", false)))
                .status())
        .isEqualTo(200);
    // Bad requests: unknown model and broken JSON.
    assertThat(
            envoy
                .send(ClientRequest.postJson("/v1/chat/completions", chat("gpt-17", "hi", false)))
                .status())
        .isEqualTo(400);
    assertThat(envoy.send(ClientRequest.postJson("/v1/chat/completions", "{not json")).status())
        .isEqualTo(400);
    // The same question twice from one tenant: a cache miss (routed), then a hit (cached).
    ClientRequest cacheable =
        ClientRequest.postJson(
                "/v1/chat/completions", chat("auto", "What is the integral of x^2?", false))
            .withHeader("x-user-id", "alice");
    assertThat(envoy.send(cacheable).status()).isEqualTo(200);
    Exchange hit = envoy.send(cacheable);
    assertThat(hit.status()).isEqualTo(200);
    assertThat(hit.upstream()).as("answered from the cache, not forwarded").isNull();
    // A refused reload (unknown default model) and a good one.
    Files.writeString(
        config, yaml.replace("default_model: llama-3.1-8b-instruct", "default_model: nope"));
    waitFor(() -> value("llm_config_reloads_total", Map.of("result", "failure")) >= 1);
    Files.writeString(config, yaml.replace("score: 0.95", "score: 0.96"));
    waitFor(() -> value("llm_config_reloads_total", Map.of("result", "success")) >= 1);
    // Streams end asynchronously to the client's answer: wait until all six are counted.
    waitFor(
        () ->
            scrape().contains("llm_model_requests_total")
                && total("llm_model_requests_total") >= 8);
    scrape = scrape();
  }

  @AfterAll
  static void stop() {
    if (envoy != null) {
      envoy.close();
    }
    if (router != null) {
      router.close();
    }
    if (backends != null) {
      backends.close();
    }
  }

  @Test
  void countsRequestsByModelCategoryReasonAndOutcome() {
    assertThat(
            sample(
                scrape,
                "llm_model_requests_total",
                Map.of(
                    "model",
                    "qwen3-8b",
                    "category",
                    "math",
                    "reason",
                    "category",
                    "outcome",
                    "routed")))
        .isEqualTo(3.0);
    assertThat(
            sample(
                scrape,
                "llm_model_requests_total",
                Map.of(
                    "model",
                    "llama-3.1-8b-instruct",
                    "category",
                    "default",
                    "reason",
                    "explicit",
                    "outcome",
                    "routed")))
        .isEqualTo(1.0);
    assertThat(
            sample(
                scrape,
                "llm_model_requests_total",
                Map.of(
                    "model",
                    "llama-3.1-8b-instruct",
                    "category",
                    "default",
                    "reason",
                    "default",
                    "outcome",
                    "routed")))
        .isEqualTo(1.0);
    assertThat(
            sample(
                scrape,
                "llm_model_requests_total",
                Map.of("model", "none", "category", "none", "reason", "none", "outcome", "error")))
        .isEqualTo(2.0);
    assertThat(sample(scrape, "llm_request_errors_total", Map.of("reason", "bad_request")))
        .isEqualTo(2.0);
    assertThat(sample(scrape, "llm_model_routing_latency_seconds_count", Map.of())).isEqualTo(8.0);
  }

  @Test
  void countsCacheLookUpsOfTenantRequestsOnly() {
    // Only the two requests with the tenant header were looked up: one miss, then one hit.
    assertThat(sample(scrape, "llm_cache_misses_total", Map.of())).isEqualTo(1.0);
    assertThat(sample(scrape, "llm_cache_hits_total", Map.of())).isEqualTo(1.0);
    assertThat(
            sample(
                scrape,
                "llm_model_requests_total",
                Map.of("model", "none", "category", "none", "reason", "none", "outcome", "cached")))
        .isEqualTo(1.0);
  }

  @Test
  void countsTokensAndCostFromUsageIncludingTheStreamsUsageChunk() {
    JsonNode upstream = streamed.upstream().json();
    assertThat(upstream.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(
            streamedClientChose
                .upstream()
                .json()
                .path("stream_options")
                .path("include_usage")
                .asBoolean(true))
        .as("the client's own choice stands")
        .isFalse();

    // Completion tokens: the mock reports one per content chunk; two JSON answers (one of them
    // the cache miss; its hit generated nothing) and one SSE answer from qwen.
    assertThat(sample(scrape, "llm_model_completion_tokens_total", Map.of("model", "qwen3-8b")))
        .isEqualTo(3.0 * CHUNKS);
    Double prompt = sample(scrape, "llm_model_prompt_tokens_total", Map.of("model", "qwen3-8b"));
    assertThat(prompt).isPositive();
    double expectedCost = (prompt * 2.0 + 3.0 * CHUNKS * 6.0) / 1_000_000.0;
    assertThat(
            sample(scrape, "llm_model_cost_total", Map.of("model", "qwen3-8b", "currency", "USD")))
        .isCloseTo(expectedCost, Offset.offset(1e-12));
    // llama has no pricing: tokens yes, no cost series. The stream whose client refused usage
    // reports none, so only the JSON default-model request counts.
    assertThat(
            sample(
                scrape,
                "llm_model_completion_tokens_total",
                Map.of("model", "llama-3.1-8b-instruct")))
        .isEqualTo((double) CHUNKS);
    assertThat(OpsFixtures.labelValues(scrape, "llm_model_cost_total", "model"))
        .containsExactly("qwen3-8b");
  }

  @Test
  void timeToFirstTokenForStreamsOnly() {
    assertThat(sample(scrape, "llm_model_ttft_seconds_count", Map.of("model", "qwen3-8b")))
        .isEqualTo(1.0);
    assertThat(
            sample(
                scrape, "llm_model_ttft_seconds_count", Map.of("model", "llama-3.1-8b-instruct")))
        .isEqualTo(1.0);
  }

  @Test
  void reloadsJvmAndProcessMetrics() {
    assertThat(sample(scrape, "llm_config_reloads_total", Map.of("result", "success")))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(sample(scrape, "llm_config_reloads_total", Map.of("result", "failure")))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(scrape)
        .contains("jvm_memory_used_bytes", "jvm_threads_current", "process_cpu_seconds_total");
  }

  @Test
  void labelValuesAreConfiguredNamesOrFixedSets() {
    assertThat(OpsFixtures.labelValues(scrape, "llm_model_requests_total", "model"))
        .isSubsetOf("qwen3-8b", "llama-3.1-8b-instruct", "none");
    assertThat(OpsFixtures.labelValues(scrape, "llm_model_requests_total", "category"))
        .isSubsetOf("math", "biology", "default", "none");
    assertThat(OpsFixtures.labelValues(scrape, "llm_model_requests_total", "outcome"))
        .isSubsetOf("routed", "blocked", "cached", "error");
    assertThat(scrape).doesNotContain("derivative", "gpt-17");
  }

  @Test
  void promtoolAcceptsTheOutput() throws Exception {
    OpsFixtures.ProcessResult result = OpsFixtures.promtool(scrape);
    Assumptions.assumeTrue(
        result != null,
        "promtool not installed (Debian package 'prometheus'); .ci/run installs it");
    assertThat(result.exit()).as(result.output()).isZero();
  }

  static String chat(String model, String text, boolean stream) {
    var body = Json.MAPPER.createObjectNode().put("model", model);
    if (stream) {
      body.put("stream", true);
    }
    body.putArray("messages").addObject().put("role", "user").put("content", text);
    return body.toString();
  }

  private static String scrape() {
    try {
      return http("GET", "http://127.0.0.1:" + router.metricsPort() + "/metrics", null).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static double value(String name, Map<String, String> labels) {
    Double v = sample(scrape(), name, labels);
    return v == null ? 0 : v;
  }

  private static double total(String name) {
    double sum = 0;
    for (String line : scrape().split("\n")) {
      if (line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
      Thread.sleep(50);
    }
    assertThat(condition.getAsBoolean()).as("condition reached within 15 s").isTrue();
  }
}

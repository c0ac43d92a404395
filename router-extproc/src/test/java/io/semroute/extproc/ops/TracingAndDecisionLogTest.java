package io.semroute.extproc.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.semroute.config.OperationsSettings;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyEmulator;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.pipeline.DecisionLogStage;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.pipeline.Tracing;
import io.semroute.extproc.server.RouterServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Spans continuing Envoy's {@code traceparent}, and one JSON decision-log line per request. */
class TracingAndDecisionLogTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_ID = "00f067aa0ba902b7";
  private static final String SECRET_PROMPT = "What is the integral of my secret number 8675309?";

  private static RouterConfig withPrompts(RouterConfig c, boolean include) {
    return c.withOperations(
        new OperationsSettings(null, null, include, OperationsSettings.Tracing.OFF));
  }

  @Test
  void spansContinueTheTraceparentAndCoverEachStage() throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    RouterConfig cfg = TestConfigs.sample();
    try (OpsFixtures.Backends backends = new OpsFixtures.Backends(2);
        RouterServer router =
            RouterServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                RouterSnapshots.keywordOnly(cfg),
                ThreadLocalRandom::current,
                r -> {},
                null,
                Tracing.of(sdk));
        EnvoyEmulator envoy = backends.envoy(router.grpcPort())) {
      Exchange ex =
          envoy.send(
              ClientRequest.postJson(
                      "/v1/chat/completions",
                      MetricsEndToEndTest.chat("auto", SECRET_PROMPT, false))
                  .withHeader("traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01"));
      assertThat(ex.status()).isEqualTo(200);
      List<SpanData> done = waitForSpans(spans, 8);
      SpanData stream =
          done.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
      assertThat(stream.getName()).isEqualTo("ext_proc /v1/chat/completions");
      assertThat(stream.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(stream.getParentSpanId()).isEqualTo(PARENT_ID);
      assertThat(stream.getAttributes().asMap().toString())
          .contains("semroute.model", TestConfigs.QWEN);
      List<String> stages =
          done.stream()
              .filter(s -> s.getParentSpanId().equals(stream.getSpanId()))
              .map(SpanData::getName)
              .toList();
      assertThat(stages)
          .containsExactly(
              "parse", "screen", "cache_lookup", "decide", "guard_verdict", "pii_policy", "mutate");
    } finally {
      sdk.close();
    }
  }

  @Test
  void oneJsonLinePerRequestWithoutThePromptUnlessAskedFor() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(DecisionLogStage.LOGGER);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      for (boolean include : new boolean[] {false, true}) {
        lines.list.clear();
        RouterConfig cfg = withPrompts(TestConfigs.sample(), include);
        try (OpsFixtures.Backends backends = new OpsFixtures.Backends(2);
            RouterServer router =
                RouterServer.start(
                    new InetSocketAddress("127.0.0.1", 0),
                    RouterSnapshots.keywordOnly(cfg),
                    ThreadLocalRandom::current,
                    r -> {});
            EnvoyEmulator envoy = backends.envoy(router.grpcPort())) {
          envoy.send(
              ClientRequest.postJson(
                      "/v1/chat/completions",
                      MetricsEndToEndTest.chat("auto", SECRET_PROMPT, false))
                  .withHeader("x-request-id", "req-" + include));
          envoy.send(
              ClientRequest.postJson("/v1/chat/completions", "{broken")
                  .withHeader("x-request-id", "bad-" + include));
          for (int i = 0; i < 200 && lines.list.size() < 2; i++) {
            Thread.sleep(25);
          }
        }
        assertThat(lines.list).hasSize(2);
        JsonNode routed =
            Json.MAPPER.readTree(
                lines.list.stream()
                    .filter(e -> e.getFormattedMessage().contains("req-" + include))
                    .findFirst()
                    .orElseThrow()
                    .getFormattedMessage());
        assertThat(routed.path("request_id").asText()).isEqualTo("req-" + include);
        assertThat(routed.path("path").asText()).isEqualTo("/v1/chat/completions");
        assertThat(routed.path("model").asText()).isEqualTo(TestConfigs.QWEN);
        assertThat(routed.path("category").asText()).isEqualTo("math");
        assertThat(routed.path("confidence").asDouble()).isPositive();
        assertThat(routed.path("reasoning").asBoolean()).isTrue();
        assertThat(routed.path("outcome").asText()).isEqualTo("routed");
        assertThat(routed.path("guards").has("pii_types")).isTrue();
        assertThat(routed.path("latency_ms").has("decide")).isTrue();
        assertThat(routed.path("latency_ms").has("total")).isTrue();
        JsonNode bad =
            Json.MAPPER.readTree(
                lines.list.stream()
                    .filter(e -> e.getFormattedMessage().contains("bad-" + include))
                    .findFirst()
                    .orElseThrow()
                    .getFormattedMessage());
        assertThat(bad.path("outcome").asText()).isEqualTo("error");
        assertThat(bad.path("immediate_status").asInt()).isEqualTo(400);
        String all =
            lines.list.stream().map(ILoggingEvent::getFormattedMessage).reduce("", String::concat);
        if (include) {
          assertThat(routed.path("prompts").get(0).asText()).isEqualTo(SECRET_PROMPT);
        } else {
          assertThat(all).doesNotContain("8675309").doesNotContain("integral");
        }
      }
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  void servedRouterExportsSpansOverOtlpHttpWhenConfigured(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    // A stand-in collector: counts OTLP/HTTP trace exports.
    BlockingQueue<String> posts = new LinkedBlockingQueue<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/v1/traces",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          posts.add(
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestHeaders().getFirst("Content-Type")
                  + " "
                  + body.length);
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    collector.start();
    try {
      Path config = dir.resolve("config.yaml");
      Files.writeString(
          config,
          OpsFixtures.keywordConfig(
              "",
              "tracing: {enabled: true, otlp_endpoint: 'http://127.0.0.1:"
                  + collector.getAddress().getPort()
                  + "/v1/traces', service_name: router-under-test}"));
      try (OpsFixtures.Backends backends = new OpsFixtures.Backends(2)) {
        RouterServer router = RouterServer.start(config, r -> {});
        try (EnvoyEmulator envoy = backends.envoy(router.grpcPort())) {
          assertThat(
                  envoy
                      .send(
                          ClientRequest.postJson(
                                  "/v1/chat/completions",
                                  MetricsEndToEndTest.chat("auto", "an integral please", false))
                              .withHeader(
                                  "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01"))
                      .status())
              .isEqualTo(200);
        } finally {
          router.close(); // shuts the SDK down, which flushes the batch of spans
        }
      }
      String post = posts.poll(30, TimeUnit.SECONDS);
      assertThat(post).as("an OTLP export reached the collector").isNotNull();
      assertThat(post).startsWith("POST application/x-protobuf");
    } finally {
      collector.stop(0);
    }
  }

  private static List<SpanData> waitForSpans(InMemorySpanExporter spans, int atLeast)
      throws InterruptedException {
    for (int i = 0; i < 400 && spans.getFinishedSpanItems().size() < atLeast; i++) {
      Thread.sleep(25);
    }
    return spans.getFinishedSpanItems();
  }
}

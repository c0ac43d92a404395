package io.semroute.extproc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.config.OperationsSettings;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.openai.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The decision log's JSON line, written from a request's summary (no sockets). */
class DecisionLogStageTest {

  private static JsonNode line(RouterConfig cfg, String body) throws Exception {
    AtomicReference<RequestSummary> seen = new AtomicReference<>();
    RequestPipeline pipeline =
        RequestPipeline.standard(
            new EndpointPicker(() -> new Random(1)), seen::set, null, Tracing.OFF);
    RequestContext ctx = StageFixtures.chat(RouterSnapshot.keywordOnly(cfg), body);
    pipeline.onStart(ctx);
    pipeline.onRequest(ctx);
    pipeline.onEnd(ctx, true);
    return Json.MAPPER.readTree(DecisionLogStage.line(seen.get()));
  }

  private static List<String> fields(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void aRoutedRequestsLineHasEveryFieldInItsOrder() throws Exception {
    JsonNode o = line(StageFixtures.config(), StageFixtures.body("auto", "the derivative of x"));
    assertThat(fields(o))
        .containsExactly(
            "event",
            "request_id",
            "path",
            "outcome",
            "error",
            "model",
            "category",
            "confidence",
            "reasoning",
            "reasoning_effort",
            "explicit",
            "reason",
            "reasoning_text",
            "stream",
            "guards",
            "latency_ms");
    assertThat(o.path("outcome").asText()).isEqualTo("routed");
    assertThat(o.path("error").asText()).isEqualTo("cancelled");
    assertThat(o.path("category").asText()).isEqualTo("math");
    assertThat(o.path("reason").asText()).isEqualTo("category");
    assertThat(fields(o.path("guards")))
        .containsExactly(
            "jailbreak_blocked", "jailbreak_risk", "guard_unavailable", "pii_types", "pii_count");
    assertThat(fields(o.path("latency_ms")))
        .containsExactly(
            "routing",
            "parse",
            "screen",
            "cache_lookup",
            "decide",
            "guard_verdict",
            "pii_policy",
            "mutate",
            "total");
  }

  @Test
  void aRefusedBodyHasItsStatusAndNoDecisionOrPrompt() throws Exception {
    JsonNode o = line(StageFixtures.config(), "{broken");
    assertThat(fields(o))
        .containsExactly(
            "event",
            "request_id",
            "path",
            "outcome",
            "error",
            "guards",
            "immediate_status",
            "latency_ms");
    assertThat(o.path("error").asText()).isEqualTo("bad_request");
    assertThat(fields(o.path("guards"))).containsExactly("pii_types", "pii_count");
  }

  @Test
  void promptsOnlyWhenAskedFor() throws Exception {
    RouterConfig cfg =
        StageFixtures.config()
            .withOperations(
                new OperationsSettings(null, null, true, OperationsSettings.Tracing.OFF));
    JsonNode o = line(cfg, StageFixtures.body("auto", "my secret 8675309"));
    assertThat(o.path("prompts").get(0).asText()).isEqualTo("my secret 8675309");
    assertThat(
            line(StageFixtures.config(), StageFixtures.body("auto", "my secret 8675309"))
                .toString())
        .doesNotContain("8675309");
  }
}

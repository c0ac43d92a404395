package io.semroute.extproc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.BlockResponse;
import io.semroute.config.GuardAction;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.guard.JailbreakVerdict;
import io.semroute.extproc.guard.PiiFindings;
import io.semroute.extproc.guard.Screening;
import io.semroute.extproc.metrics.RouterMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the metrics stage counts from a request's summary (no sockets; the real registry). */
class MetricsStageTest {
  private final RouterMetrics metrics = new RouterMetrics();
  private final RequestPipeline pipeline =
      RequestPipeline.standard(
          new EndpointPicker(() -> new Random(1)), RequestListener.NONE, metrics, Tracing.OFF);

  private void send(RouterSnapshot snapshot, String body, Screening verdict, String response) {
    RequestContext ctx = StageFixtures.chat(snapshot, body);
    pipeline.onStart(ctx);
    if (verdict != null) {
      ctx.screened(verdict);
    }
    if (!pipeline.onRequest(ctx).answered()) {
      boolean sse = response.startsWith("data:");
      ctx.response(200, sse, sse);
      pipeline.onResponseHeaders(ctx, new Mutations());
      pipeline.onResponseBody(ctx, response.getBytes(StandardCharsets.UTF_8), true);
    }
    pipeline.onEnd(ctx, false);
  }

  @Test
  void countsByModelCategoryReasonOutcomeWithTokensCostAndGuardActions() {
    RouterSnapshot plain = RouterSnapshot.keywordOnly(StageFixtures.config());
    String usage =
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4,\"total_tokens\":14}}";
    send(plain, StageFixtures.body("auto", "the derivative of x"), null, usage);
    send(
        plain,
        "{\"model\":\"auto\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        null,
        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\ndata: [DONE]\n\n");
    send(plain, "{broken", null, usage);
    send(
        plain,
        StageFixtures.body("auto", "the derivative of x"),
        new Screening(
            JailbreakVerdict.NOT_CHECKED,
            false,
            PiiFindings.of(
                List.of(new PiiFindings.Located("/messages/0/content", 0, 3, "PHONE_NUMBER")))),
        usage);
    send(
        RouterSnapshot.keywordOnly(
            StageFixtures.withJailbreak(
                StageFixtures.config(), GuardAction.BLOCK, true, BlockResponse.COMPLETION)),
        StageFixtures.body("auto", "the derivative of x"),
        new Screening(new JailbreakVerdict(true, 0.9), false, PiiFindings.NONE),
        usage);

    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains(
            "llm_model_requests_total{category=\"math\",model=\"qwen3-8b\",outcome=\"routed\",reason=\"category\"} 1.0",
            "llm_model_requests_total{category=\"default\",model=\"llama-3.1-8b-instruct\",outcome=\"routed\",reason=\"default\"} 1.0",
            "llm_model_requests_total{category=\"none\",model=\"none\",outcome=\"error\",reason=\"none\"} 1.0",
            "llm_model_requests_total{category=\"math\",model=\"llama-3.1-8b-instruct\",outcome=\"routed\",reason=\"category\"} 1.0",
            "llm_model_requests_total{category=\"math\",model=\"qwen3-8b\",outcome=\"blocked\",reason=\"category\"} 1.0",
            "llm_request_errors_total{reason=\"bad_request\"} 1.0",
            "llm_pii_violations_total{action=\"rerouted\"} 1.0",
            "llm_jailbreak_actions_total{action=\"block\"} 1.0",
            "llm_model_prompt_tokens_total{model=\"qwen3-8b\"} 10.0",
            "llm_model_completion_tokens_total{model=\"llama-3.1-8b-instruct\"} 6.0",
            "llm_model_cost_total{currency=\"USD\",model=\"qwen3-8b\"} 4.4E-5",
            "llm_model_ttft_seconds_count{model=\"llama-3.1-8b-instruct\"} 1",
            "llm_model_routing_latency_seconds_count 5");
    assertThat(scrape).doesNotContain("llm_model_cost_total{currency=\"USD\",model=\"llama");
  }
}

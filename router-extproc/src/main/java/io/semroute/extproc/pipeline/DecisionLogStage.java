package io.semroute.extproc.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.guard.Screening;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.Usage;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * decision log: one JSON line per routed-path request when its stream ends, on the logger {@code
 * io.semroute.decision} (INFO): request id, path, model, category, confidence, reasoning, decision
 * reason, outcome, guard outcomes (jailbreak, PII types: never values), statuses, usage and the
 * time spent in each stage. The prompt text only with {@code logging.include_prompts: true}.
 */
public final class DecisionLogStage implements ResponseStage {
  /** The decision log's logger name (route it to its own appender if wanted). */
  public static final String LOGGER = "io.semroute.decision";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  @Override
  public void onEnd(RequestContext ctx, boolean cancelled) {
    if (!log.isInfoEnabled()) {
      return;
    }
    log.info(line(ctx, cancelled));
  }

  /** The JSON line for a finished request. */
  static String line(RequestContext ctx, boolean cancelled) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("event", "routing_decision");
    o.put("request_id", ctx.requestId());
    o.put("path", ctx.info().path());
    Outcome outcome = Outcome.of(ctx, cancelled);
    o.put("outcome", outcome.outcome());
    if (outcome.error() != null) {
      o.put("error", outcome.error());
    }
    RoutingDecision d = ctx.decision();
    if (d != null) {
      o.put("model", d.model());
      o.put("category", d.category() == null ? "default" : d.category());
      o.put("confidence", Math.round(d.confidence() * 10000) / 10000.0);
      o.put("reasoning", d.reasoning());
      if (d.reasoningEffort() != null) {
        o.put("reasoning_effort", d.reasoningEffort());
      }
      o.put("explicit", d.explicit());
      o.put("reason", outcome.reason());
      o.put("reasoning_text", d.reason());
      if (d.decision() != null) {
        // which decisions: entry chose, and the signals it read (values, never prompt text)
        o.put("decision", d.decision());
      }
      if (d.signals() != null) {
        o.put("signals", d.signals().describe());
      }
    }
    if (ctx.request() != null) {
      o.put("stream", ctx.request().stream());
    }
    ObjectNode guards = o.putObject("guards");
    Screening s = ctx.screeningIfDone();
    if (s != null) {
      guards.put("jailbreak_blocked", s.jailbreak().blocked());
      guards.put("jailbreak_risk", Math.round(s.jailbreak().risk() * 10000) / 10000.0);
      guards.put("guard_unavailable", s.guardUnavailable());
    }
    guards.putPOJO("pii_types", ctx.pii().types());
    guards.put("pii_count", ctx.pii().count());
    if (ctx.immediateStatus() != 0) {
      o.put("immediate_status", ctx.immediateStatus());
    }
    if (ctx.responseStatus() != 0) {
      o.put("response_status", ctx.responseStatus());
    }
    Usage usage = ctx.usage();
    if (usage != null) {
      o.putObject("usage")
          .put("prompt_tokens", usage.promptTokens())
          .put("completion_tokens", usage.completionTokens());
    }
    ObjectNode latency = o.putObject("latency_ms");
    if (ctx.bodyNanos() != 0 && ctx.routedNanos() != 0) {
      latency.put("routing", ms(ctx.routedNanos() - ctx.bodyNanos()));
    }
    for (Map.Entry<String, Long> e : ctx.stageNanos().entrySet()) {
      latency.put(e.getKey(), ms(e.getValue()));
    }
    if (ctx.responseSse() && ctx.firstResponseBodyNanos() != 0 && ctx.bodyNanos() != 0) {
      latency.put("ttft", ms(ctx.firstResponseBodyNanos() - ctx.bodyNanos()));
    }
    latency.put("total", ms(System.nanoTime() - ctx.info().startNanos()));
    if (ctx.streamSpan().getSpanContext().isValid()) {
      o.put("trace_id", ctx.streamSpan().getSpanContext().getTraceId());
    }
    if (ctx.snapshot().config().operations().includePrompts() && ctx.request() != null) {
      o.putPOJO("prompts", ctx.request().userTexts());
    }
    return o.toString();
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }
}

package io.semroute.extproc.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.cache.SemanticCache;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.guard.Screening;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * decision log: one JSON line per routed-path request when its stream ends, on the logger {@code
 * io.semroute.decision} (INFO): its {@link RequestSummary} — request id, path, model, category,
 * confidence, reasoning, decision reason, outcome, guard outcomes (jailbreak, PII types: never
 * values), statuses, usage and the time spent in each stage. The prompt text only with {@code
 * logging.include_prompts: true}.
 */
public final class DecisionLogStage implements ResponseStage {
  /** The decision log's logger name (route it to its own appender if wanted). */
  public static final String LOGGER = "io.semroute.decision";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  @Override
  public void onEnd(RequestSummary summary) {
    if (!log.isInfoEnabled()) {
      return;
    }
    log.info(line(summary));
  }

  /** The JSON line for a finished request. */
  static String line(RequestSummary s) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("event", "routing_decision");
    o.put("request_id", s.requestId());
    o.put("path", s.path());
    o.put("outcome", s.outcome().label());
    if (s.error() != null) {
      o.put("error", s.error().label());
    }
    RoutingDecision d = s.decision();
    if (d != null) {
      o.put("model", d.model());
      o.put("category", d.categoryLabel());
      o.put("confidence", Math.round(d.confidence() * 10000) / 10000.0);
      o.put("reasoning", d.reasoning());
      if (d.reasoningEffort() != null) {
        o.put("reasoning_effort", d.reasoningEffort());
      }
      o.put("explicit", d.explicit());
      o.put("reason", s.reason().label());
      o.put("reasoning_text", d.reason());
      if (d.decision() != null) {
        // which decisions: entry chose, and the signals it read (values, never prompt text)
        o.put("decision", d.decision());
      }
      if (d.signals() != null) {
        o.put("signals", d.signals().describe());
      }
    }
    if (s.stream() != null) {
      o.put("stream", s.stream());
    }
    ObjectNode guards = o.putObject("guards");
    Screening screening = s.screening();
    if (screening != null) {
      guards.put("jailbreak_blocked", screening.jailbreak().blocked());
      guards.put("jailbreak_risk", Math.round(screening.jailbreak().risk() * 10000) / 10000.0);
      guards.put("guard_unavailable", screening.guardUnavailable());
    }
    guards.putPOJO("pii_types", s.pii().types());
    guards.put("pii_count", s.pii().count());
    SemanticCache.Hit hit = s.cacheAnswer();
    if (hit != null) {
      // Which tier answered and, for a semantic hit, how close and which check passed: its kind
      // only ("same words", "wordnet", "no conflict"), since the words it matched are prompt text.
      ObjectNode cache = o.putObject("cache").put("tier", hit.tier());
      if (hit.semantic()) {
        cache.put("similarity", Math.round(hit.similarity() * 1000) / 1000.0);
        cache.put("check", hit.checkKind());
      }
    }
    if (!s.shed().isEmpty()) {
      o.putPOJO("shed", s.shed());
    }
    if (s.rateLimited() != null) {
      o.put("rate_limited", s.rateLimited());
    }
    if (s.immediateStatus() != 0) {
      o.put("immediate_status", s.immediateStatus());
    }
    if (s.responseStatus() != 0) {
      o.put("response_status", s.responseStatus());
    }
    Usage usage = s.usage();
    if (usage != null) {
      o.putObject("usage")
          .put("prompt_tokens", usage.promptTokens())
          .put("completion_tokens", usage.completionTokens());
    }
    ObjectNode latency = o.putObject("latency_ms");
    StageTimings t = s.timings();
    t.routing().ifPresent(n -> latency.put("routing", ms(n)));
    t.stages().forEach((stage, n) -> latency.put(stage, ms(n)));
    t.timeToFirstToken().ifPresent(n -> latency.put("ttft", ms(n)));
    latency.put("total", ms(t.total()));
    if (s.traceId() != null) {
      o.put("trace_id", s.traceId());
    }
    if (s.prompts() != null) {
      o.putPOJO("prompts", s.prompts());
    }
    return o.toString();
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }
}

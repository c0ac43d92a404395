package io.semroute.extproc.attempt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.envoy.HeaderMaps;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.Replies;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.limits.CircuitBreakers;
import io.semroute.extproc.limits.FallbackPolicy;
import io.semroute.extproc.limits.FleetLimits;
import io.semroute.extproc.limits.UpstreamResult;
import io.semroute.extproc.messages.MessagesRewriter;
import io.semroute.extproc.metrics.FleetMetrics;
import io.semroute.extproc.openai.BodyRewriter;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.OpenAiErrors;
import io.semroute.extproc.responses.ResponsesRewriter;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream pass: the router as the ext_proc filter of Envoy's fallback clusters, called once
 * per attempt with the endpoint Envoy chose for it. The downstream pass has already classified,
 * guarded and decided; this pass only reads the chosen endpoint's model (endpoint metadata, {@link
 * AttemptHeaders#MODEL_ATTRIBUTE}) and the downstream pass's {@link AttemptPlan}, and:
 *
 * <ul>
 *   <li>removes the plan headers, so the backend never sees them;
 *   <li>on the first attempt (the decided model) changes nothing else;
 *   <li>feeds every attempt's status (or reset) to that attempt's model's circuit breaker;
 *   <li>on a later attempt rewrites the body for its model ({@code model}, the reasoning switch),
 *       counts {@code llm_fallbacks_total{from}} and marks the answer with {@link
 *       AttemptHeaders#FALLBACK_FROM};
 *   <li>refuses, with an OpenAI-style 503 that is never forwarded, an attempt at a model the plan
 *       does not list (the PII policy or a named model forbid it), or past {@code max_attempts}.
 * </ul>
 */
public final class AttemptPass {
  private static final Logger log = LoggerFactory.getLogger(AttemptPass.class);

  private final RouterConfig cfg;
  private final FallbackPolicy fallback;
  private final CircuitBreakers breakers;
  private final FleetMetrics metrics;

  private String requestId = "-";
  private AttemptPlan plan;
  private int index;
  private String path = "";
  private String model;
  private boolean forwarded;
  private boolean answered;

  /**
   * @param metrics where fallbacks are counted, or null
   */
  public AttemptPass(RouterConfig cfg, FleetLimits limits, FleetMetrics metrics) {
    this.cfg = cfg;
    this.fallback = limits.fallback();
    this.breakers = limits.breakers();
    this.metrics = metrics;
  }

  public String requestId() {
    return requestId;
  }

  /** The attempt's request headers, with the attributes Envoy sends on the first message. */
  public ProcessingResponse requestHeaders(ProcessingRequest message) {
    HttpHeaders headers = message.getRequestHeaders();
    String id = HeaderMaps.get(headers.getHeaders(), "x-request-id");
    requestId = id == null ? "-" : id;
    path = Optional.ofNullable(HeaderMaps.get(headers.getHeaders(), ":path")).orElse("");
    Mutations mutations = new Mutations();
    for (String name : List.of(AttemptHeaders.CHAIN, AttemptHeaders.PLAN)) {
      if (HeaderMaps.has(headers.getHeaders(), name)) {
        mutations.remove(name);
      }
    }
    model = endpointModel(message);
    String selected = HeaderMaps.get(headers.getHeaders(), RoutingHeaders.SELECTED_MODEL);
    Optional<AttemptPlan> planned =
        AttemptPlan.decode(HeaderMaps.get(headers.getHeaders(), AttemptHeaders.PLAN));
    if (model == null) {
      // Not a fallback cluster's endpoint: nothing to rewrite.
      return mutations.requestHeadersReply();
    }
    if (planned.isEmpty()) {
      if (selected != null && !selected.equals(model)) {
        return refuse(
            "model '" + model + "' was not planned for this request (routed to " + selected + ")");
      }
      return mutations.requestHeadersReply();
    }
    plan = planned.get();
    index = plan.indexOf(model);
    if (index < 0) {
      return refuse(
          "model '"
              + model
              + "' may not answer this request (not one of its candidates "
              + plan.models()
              + ": its PII policy, or the model it named, rules it out)");
    }
    if (index > 0 && (!fallback.enabled() || index >= fallback.maxAttempts())) {
      return refuse(
          "no further attempt allowed (resilience.fallback: "
              + (fallback.enabled() ? "max_attempts " + fallback.maxAttempts() : "off")
              + ")");
    }
    forwarded = true;
    if (index > 0) {
      String failed = plan.models().get(index - 1);
      log.info("request {}: attempt {} on {} after {} failed", requestId, index + 1, model, failed);
      if (metrics != null) {
        metrics.fallback(failed);
      }
    }
    return mutations.requestHeadersReply();
  }

  /** The buffered body: rewritten for the model of a later attempt, else left alone. */
  public ProcessingResponse requestBody(HttpBody body) {
    if (plan == null || index == 0) {
      return Replies.requestBodyContinue();
    }
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(body.getBody().toByteArray());
    } catch (IOException e) {
      return Replies.requestBodyContinue(); // the downstream pass forwarded it: not ours to judge
    }
    if (!(tree instanceof ObjectNode json)) {
      return Replies.requestBodyContinue();
    }
    AttemptPlan.Attempt first = plan.attempts().get(0);
    AttemptPlan.Attempt attempt = plan.attempts().get(index);
    byte[] rewritten;
    if (chatOrCompletions()) {
      rewritten =
          BodyRewriter.retarget(
              json, first.model(), attempt.model(), attempt.reasoning(), attempt.effort(), cfg);
    } else {
      rewritten = retargetNative(json, attempt);
    }
    return new Mutations()
        .set("content-length", Integer.toString(rewritten.length))
        .replaceBody(rewritten)
        .requestBodyReply();
  }

  /**
   * The attempt's answer: its status feeds its own model's circuit breaker, and it names the model
   * ({@link AttemptHeaders#ATTEMPT_MODEL}) so the downstream pass does not count it again; a later
   * attempt's says which models failed before it.
   */
  public ProcessingResponse responseHeaders(HttpHeaders headers) {
    if (plan != null && forwarded && !answered) {
      answered = true;
      int status = statusOf(headers);
      String type = HeaderMaps.get(headers.getHeaders(), "content-type");
      boolean stream =
          type != null
              && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")
              && !headers.getEndOfStream();
      // A stream's success is known at its end, which only the downstream pass sees: it counts
      // it on this attempt's model (x-vsr-attempt-model).
      if (!(stream && status > 0 && status < 400)) {
        breakers.record(model, status > 0 ? UpstreamResult.ofStatus(status) : UpstreamResult.RESET);
      }
    }
    if (plan == null || !forwarded) {
      return Replies.responseHeadersContinue();
    }
    Mutations reply = new Mutations().set(AttemptHeaders.ATTEMPT_MODEL, model);
    if (index > 0) {
      reply.set(AttemptHeaders.FALLBACK_FROM, String.join(",", plan.models().subList(0, index)));
    }
    return reply.responseHeadersReply();
  }

  /**
   * The stream ended. Envoy resets it when the attempt ends without an answer (a refused or reset
   * connection): that counts as a reset for the attempt's model.
   */
  public void ended(boolean reset) {
    if (plan != null && forwarded && !answered && reset) {
      answered = true;
      breakers.record(model, UpstreamResult.RESET);
    }
  }

  private static int statusOf(HttpHeaders headers) {
    String status = HeaderMaps.get(headers.getHeaders(), ":status");
    try {
      return status == null ? 0 : Integer.parseInt(status.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Messages and Responses served in their own API (the downstream pass planned only models served
   * the same way): the model and, for a model with a reasoning family, the API's own reasoning
   * field, as the downstream pass sets them.
   */
  private byte[] retargetNative(ObjectNode json, AttemptPlan.Attempt attempt) {
    boolean family = cfg.reasoningFamilyOf(attempt.model()).isPresent();
    if (path.split("\\?", 2)[0].endsWith("/messages")) {
      MessagesRewriter.setModel(json, attempt.model());
      if (family) {
        MessagesRewriter.setThinking(
            json, attempt.reasoning(), MessagesRewriter.thinkingBudget(attempt.effort()));
      }
      return MessagesRewriter.serialize(json);
    }
    ResponsesRewriter.setModel(json, attempt.model());
    if (family) {
      ResponsesRewriter.setReasoning(json, attempt.reasoning(), attempt.effort());
    }
    return ResponsesRewriter.serialize(json);
  }

  private boolean chatOrCompletions() {
    String p = path.split("\\?", 2)[0];
    return p.endsWith("/chat/completions") || p.endsWith("/completions");
  }

  private ProcessingResponse refuse(String why) {
    log.warn("request {}: attempt refused: {}", requestId, why);
    return Replies.immediateJson(
        503,
        OpenAiErrors.body(
            "the request's model failed and it cannot be retried elsewhere: " + why,
            "server_error",
            null,
            "fallback_not_allowed"),
        "semantic-router: fallback not allowed");
  }

  /**
   * The chosen endpoint's model: the attribute as requested ({@link
   * AttemptHeaders#MODEL_ATTRIBUTE}, a string), or inside the whole {@code
   * xds.upstream_host_metadata} when that is what the filter asked for.
   */
  static String endpointModel(ProcessingRequest message) {
    Struct attributes = message.getAttributesMap().get(AttemptHeaders.ATTRIBUTES_KEY);
    if (attributes == null) {
      return null;
    }
    Value direct = attributes.getFieldsMap().get(AttemptHeaders.MODEL_ATTRIBUTE);
    if (direct != null && direct.hasStringValue() && !direct.getStringValue().isBlank()) {
      return direct.getStringValue();
    }
    Value whole = attributes.getFieldsMap().get("xds.upstream_host_metadata");
    if (whole == null || !whole.hasStructValue()) {
      return null;
    }
    Value model =
        whole
            .getStructValue()
            .getFieldsOrDefault("filter_metadata", Value.getDefaultInstance())
            .getStructValue()
            .getFieldsOrDefault(AttemptHeaders.METADATA_NAMESPACE, Value.getDefaultInstance())
            .getStructValue()
            .getFieldsOrDefault(AttemptHeaders.METADATA_MODEL, Value.getDefaultInstance());
    return model.hasStringValue() && !model.getStringValue().isBlank()
        ? model.getStringValue()
        : null;
  }
}

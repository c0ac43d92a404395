package io.semroute.extproc.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.semroute.config.Backend;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.guard.RequestGuards;
import io.semroute.extproc.guard.Screening;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.BodyRewriter;
import io.semroute.extproc.openai.OpenAiErrors;
import io.semroute.extproc.openai.ParsedRequest;
import io.semroute.extproc.openai.RequestParser;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buffered request body of a routed path: parse, decide, rewrite, and tell Envoy where to go —
 * all in one {@code request_body} reply, because Envoy only re-matches the route
 * ({@code clear_route_cache}) when that same reply carries a header mutation, and only accepts a
 * replaced body whose {@code content-length} is set in that same reply.
 */
public final class RequestBodyHandler {
  private static final Logger log = LoggerFactory.getLogger(RequestBodyHandler.class);

  private final EndpointPicker endpointPicker;

  public RequestBodyHandler(EndpointPicker endpointPicker) {
    this.endpointPicker = endpointPicker;
  }

  ProcessingResponse handle(HttpBody message, StreamState state) {
    if (state.kind == null) {
      return Replies.requestBodyContinue();
    }
    if (!message.getEndOfStream()) {
      // Only BUFFERED mode delivers the whole body at once; with chunks the router could not
      // rewrite what already went upstream, so it refuses loudly instead of routing blindly.
      state.immediateStatus = 500;
      return Replies.immediateJson(
          500,
          OpenAiErrors.body(
              "semantic router misconfigured: Envoy must send the request body BUFFERED",
              "server_error",
              null,
              "router_misconfigured"),
          "semantic-router: request body not buffered");
    }
    RouterConfig cfg = state.engine.config();
    byte[] original = message.getBody().toByteArray();
    ParsedRequest request;
    try {
      request = RequestParser.parse(state.kind, original);
    } catch (BadRequestException e) {
      return reject(state, e);
    }

    if (!cfg.isAutoModel(request.model()) && cfg.model(request.model()).isEmpty()) {
      return reject(
          state,
          new BadRequestException(
              400,
              "The model `" + request.model() + "` does not exist. Available: "
                  + String.join(", ", cfg.autoModelNames()) + ", "
                  + String.join(", ", cfg.models().keySet()),
              "model",
              "model_not_found"));
    }
    // Guards are queued first, so they run while the category is being classified.
    RequestGuards.Pending guards = state.engine.guards().start(request.userTexts());
    RoutingDecision decision;
    byte[] newBody = null;
    if (cfg.isAutoModel(request.model())) {
      decision = state.engine.decide(request.userTexts());
      newBody = BodyRewriter.rewrite(request, decision, cfg);
    } else {
      decision = RoutingDecision.explicit(request.model());
    }
    Screening screening = guards.await(state.requestId);
    if (screening.guardUnavailable() || screening.jailbreak().blocked()) {
      return refuse(state, screening);
    }
    state.pii = screening.pii();
    if (state.pii.found()) {
      // Types and count only: the values must not end up in logs.
      log.info("request {}: PII noticed: {} ({} entities)", state.requestId, state.pii.types(),
          state.pii.count());
    }
    state.decision = decision;
    log.debug("request {} {} -> {} ({})", state.requestId, state.path, decision.model(),
        decision.reason());

    int bodyLength = newBody != null ? newBody.length : original.length;
    HeaderMutation.Builder headers =
        HeaderMutation.newBuilder()
            .addSetHeaders(Replies.overwrite(RoutingHeaders.SELECTED_MODEL, decision.model()))
            .addSetHeaders(Replies.overwrite("content-length", Integer.toString(bodyLength)));
    if (state.pii.found()) {
      headers.addSetHeaders(
          Replies.overwrite(RoutingHeaders.VSR_PII_TYPES, String.join(",", state.pii.types())));
    }
    ProcessingResponse.Builder reply = ProcessingResponse.newBuilder();
    if (cfg.routing().endpointPicking()) {
      Optional<Backend> backend = endpointPicker.pick(cfg, decision.model());
      if (backend.isPresent()) {
        String address = backend.get().address();
        headers.addSetHeaders(Replies.overwrite(RoutingHeaders.DESTINATION_ENDPOINT, address));
        reply.setDynamicMetadata(endpointMetadata(address));
      } else {
        log.warn("no backend serves model {}; endpoint header not set", decision.model());
      }
    }
    CommonResponse.Builder common =
        CommonResponse.newBuilder().setHeaderMutation(headers).setClearRouteCache(true);
    if (newBody != null) {
      common.setBodyMutation(BodyMutation.newBuilder().setBody(ByteString.copyFrom(newBody)));
    }
    return reply.setRequestBody(BodyResponse.newBuilder().setResponse(common)).build();
  }

  private static Struct endpointMetadata(String address) {
    Struct inner =
        Struct.newBuilder()
            .putFields(
                RoutingHeaders.DESTINATION_ENDPOINT, Value.newBuilder().setStringValue(address).build())
            .build();
    return Struct.newBuilder()
        .putFields(RoutingHeaders.LB_NAMESPACE, Value.newBuilder().setStructValue(inner).build())
        .build();
  }

  /**
   * A jailbreak never reaches a model: Envoy answers the client itself. 400 with code
   * {@code content_filter}, as Azure OpenAI answers filtered prompts: OpenAI SDKs raise it as a
   * client error and, unlike 5xx/429, do not retry it. A guard that could not answer gives 503:
   * a temporary condition worth one retry, never a silent pass.
   */
  private static ProcessingResponse refuse(StreamState state, Screening screening) {
    HeaderMutation.Builder headers = HeaderMutation.newBuilder();
    if (screening.guardUnavailable()) {
      state.immediateStatus = 503;
      return Replies.immediateJson(503,
          OpenAiErrors.body("The request could not be checked by the jailbreak guard in time;"
              + " please retry.", "server_error", null, "guard_unavailable"),
          "semantic-router: jailbreak guard unavailable", headers);
    }
    log.warn("request {}: refused by the jailbreak guard (risk {})", state.requestId,
        String.format(java.util.Locale.ROOT, "%.2f", screening.jailbreak().risk()));
    state.immediateStatus = 400;
    headers.addSetHeaders(Replies.overwrite(RoutingHeaders.VSR_JAILBREAK_BLOCKED, "true"));
    return Replies.immediateJson(400,
        OpenAiErrors.body("The request was refused: it looks like a jailbreak or prompt injection"
            + " attempt.", "invalid_request_error", "messages", "content_filter"),
        "semantic-router: jailbreak blocked", headers);
  }

  private static ProcessingResponse reject(StreamState state, BadRequestException e) {
    state.immediateStatus = e.status();
    return Replies.immediateJson(
        e.status(), OpenAiErrors.body(e), "semantic-router: " + e.code());
  }
}

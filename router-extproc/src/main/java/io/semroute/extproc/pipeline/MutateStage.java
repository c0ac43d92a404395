package io.semroute.extproc.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.semroute.config.Backend;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.clientapi.ClientRequest;
import io.semroute.extproc.clientapi.TranslatedRequest;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.messages.MessagesRewriter;
import io.semroute.extproc.messages.MessagesToChat;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.BodyRewriter;
import io.semroute.extproc.openai.ParsedRequest;
import io.semroute.extproc.openai.RequestKind;
import io.semroute.extproc.openai.RequestParser;
import io.semroute.extproc.responses.ResponsesRewriter;
import io.semroute.extproc.responses.ResponsesToChat;
import io.semroute.extproc.session.StoredResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mutate: everything the {@code request_body} reply changes, in one reply, because Envoy only
 * re-matches the route ({@code clear_route_cache}) when that same reply carries a header mutation,
 * and only accepts a replaced body whose {@code content-length} is set in that same reply. The body
 * of an {@code auto} request is rewritten for its model ({@link BodyRewriter}); a streamed request
 * gets {@code stream_options.include_usage: true} unless the client set it; {@code
 * x-selected-model} is set; in endpoint-picking mode also {@code x-gateway-destination-endpoint}
 * and the {@code envoy.lb} metadata. A Messages or Responses request is rewritten in its own API's
 * fields ({@code thinking}, {@code reasoning.effort}) when its backend serves that API ({@code
 * backends[].apis}), else translated to Chat Completions ({@code :path} too); {@code
 * x-vsr-client-api} and {@code x-vsr-upstream-api} say which.
 */
public final class MutateStage implements RequestStage {
  private static final Logger log = LoggerFactory.getLogger(MutateStage.class);

  private final EndpointPicker endpointPicker;

  public MutateStage(EndpointPicker endpointPicker) {
    this.endpointPicker = endpointPicker;
  }

  @Override
  public StageResult apply(RequestContext ctx) {
    RouterConfig cfg = ctx.snapshot().config();
    RoutingDecision decision = ctx.decision();
    log.debug(
        "request {} {} -> {} ({})",
        ctx.requestId(),
        ctx.info().path(),
        decision.model(),
        decision.reason());
    Optional<Backend> backend = Optional.empty();
    if (cfg.routing().endpointPicking()) {
      backend = pinnedBackend(ctx, cfg, decision.model());
      if (backend.isEmpty()) {
        backend = endpointPicker.pick(cfg, decision.model());
      }
    }
    byte[] newBody;
    if (ctx.agentApi()) {
      try {
        newBody = agentBody(ctx, cfg, decision, backend);
      } catch (BadRequestException e) {
        return ClientErrors.reject(ctx.api(), e);
      }
    } else {
      newBody = chatBody(ctx, cfg, decision);
    }
    int bodyLength = newBody != null ? newBody.length : ctx.body().length;

    Mutations mutations =
        ctx.mutations()
            .set(RoutingHeaders.SELECTED_MODEL, decision.model())
            .set("content-length", Integer.toString(bodyLength));
    if (ctx.pii().found()) {
      mutations.set(RoutingHeaders.VSR_PII_TYPES, String.join(",", ctx.pii().types()));
    }
    if (cfg.routing().endpointPicking()) {
      if (backend.isPresent()) {
        String address = backend.get().address();
        mutations
            .set(RoutingHeaders.DESTINATION_ENDPOINT, address)
            .dynamicMetadata(endpointMetadata(address));
      } else {
        log.warn("no backend serves model {}; endpoint header not set", decision.model());
      }
    }
    mutations.clearRouteCache();
    if (newBody != null) {
      mutations.replaceBody(newBody);
    }
    return StageResult.proceed();
  }

  /** Chat Completions and completions: the body as it always was. */
  private static byte[] chatBody(RequestContext ctx, RouterConfig cfg, RoutingDecision decision) {
    // Streams: ask for the final usage chunk (tokens and cost metrics), unless the client chose.
    boolean usageAsked = BodyRewriter.requestStreamUsage(ctx.request());
    return decision.explicit()
        ? (usageAsked
            ? BodyRewriter.serialize(ctx.request())
            : ctx.bodyChanged() ? ctx.body() : null)
        : BodyRewriter.rewrite(ctx.request(), target(decision), cfg);
  }

  private static BodyRewriter.Target target(RoutingDecision decision) {
    return new BodyRewriter.Target(
        decision.model(),
        decision.category(),
        decision.reasoning(),
        decision.reasoningEffort(),
        decision.decision() != null,
        decision.systemPrompt());
  }

  /**
   * Messages and Responses: rewritten in the API's own fields when the backend serves the API, else
   * translated to Chat Completions (body and {@code :path}) and rewritten as a chat request. Either
   * way the upstream is recorded for the response side.
   */
  private static byte[] agentBody(
      RequestContext ctx, RouterConfig cfg, RoutingDecision decision, Optional<Backend> backend)
      throws BadRequestException {
    ClientRequest client = ctx.client();
    String api = apiName(ctx.api());
    boolean served =
        backend.isPresent()
            ? backend.get().serves(api)
            : servedNatively(cfg, decision.model(), ctx.api());
    String address = backend.map(Backend::address).orElse(null);
    ctx.mutations().set(RoutingHeaders.VSR_CLIENT_API, api);
    if (served) {
      ctx.upstream(new Upstream(ctx.api(), null, address));
      ctx.mutations().set(RoutingHeaders.VSR_UPSTREAM_API, api);
      ObjectNode body = client.body();
      if (decision.explicit()) {
        return ctx.bodyChanged() ? ctx.body() : null;
      }
      boolean family = cfg.reasoningFamilyOf(decision.model()).isPresent();
      if (ctx.api() == ClientApi.MESSAGES) {
        MessagesRewriter.setModel(body, decision.model());
        if (family) {
          MessagesRewriter.setThinking(
              body,
              decision.reasoning(),
              MessagesRewriter.thinkingBudget(decision.reasoningEffort()));
        }
        return MessagesRewriter.serialize(body);
      }
      ResponsesRewriter.setModel(body, decision.model());
      if (family) {
        ResponsesRewriter.setReasoning(body, decision.reasoning(), decision.reasoningEffort());
      }
      return ResponsesRewriter.serialize(body);
    }
    StoredResponse stored = ctx.storedResponse();
    TranslatedRequest translated =
        ctx.api() == ClientApi.MESSAGES
            ? MessagesToChat.translate(client)
            : ResponsesToChat.translate(client, stored == null ? null : stored.conversation());
    ParsedRequest chat = RequestParser.parse(RequestKind.CHAT_COMPLETIONS, translated.bytes());
    BodyRewriter.requestStreamUsage(chat);
    byte[] body =
        decision.explicit()
            ? BodyRewriter.serialize(chat)
            : BodyRewriter.rewrite(chat, target(decision), cfg);
    ctx.upstream(new Upstream(ClientApi.CHAT_COMPLETIONS, chat.body(), address));
    ctx.mutations()
        .set(RoutingHeaders.VSR_UPSTREAM_API, apiName(ClientApi.CHAT_COMPLETIONS))
        .set(":path", translated.path());
    return body;
  }

  /**
   * Whether every backend of {@code model} serves {@code api} itself (else the request is
   * translated to Chat Completions): a fallback attempt may only move a request between models
   * served the same way, because the response side reads the answer in the form the first attempt
   * was sent in.
   */
  public static boolean servedNatively(RouterConfig cfg, String model, ClientApi api) {
    String name = apiName(api);
    return cfg.backendsFor(model).stream().allMatch(b -> b.serves(name));
  }

  /** The name {@code backends[].apis} and the {@code x-vsr-*-api} headers use. */
  public static String apiName(ClientApi api) {
    return switch (api) {
      case CHAT_COMPLETIONS -> "chat_completions";
      case MESSAGES -> "messages";
      case RESPONSES -> "responses";
    };
  }

  /**
   * The backend that holds the stored response a follow-up continues, if it still serves the model.
   */
  private static Optional<Backend> pinnedBackend(
      RequestContext ctx, RouterConfig cfg, String model) {
    StoredResponse stored = ctx.storedResponse();
    if (stored == null || stored.pin().backend() == null) {
      return Optional.empty();
    }
    return cfg.backendsFor(model).stream()
        .filter(b -> b.address().equals(stored.pin().backend()))
        .findFirst();
  }

  private static Struct endpointMetadata(String address) {
    Struct inner =
        Struct.newBuilder()
            .putFields(
                RoutingHeaders.DESTINATION_ENDPOINT,
                Value.newBuilder().setStringValue(address).build())
            .build();
    return Struct.newBuilder()
        .putFields(RoutingHeaders.LB_NAMESPACE, Value.newBuilder().setStructValue(inner).build())
        .build();
  }
}

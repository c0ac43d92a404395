package io.semroute.extproc.pipeline;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.semroute.config.Backend;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.envoy.Mutations;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.openai.BodyRewriter;
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
 * and the {@code envoy.lb} metadata.
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
    // Streams: ask for the final usage chunk (tokens and cost metrics), unless the client chose.
    boolean usageAsked = BodyRewriter.requestStreamUsage(ctx.request());
    byte[] newBody =
        decision.explicit()
            ? (usageAsked
                ? BodyRewriter.serialize(ctx.request())
                : ctx.bodyChanged() ? ctx.body() : null)
            : BodyRewriter.rewrite(
                ctx.request(),
                new BodyRewriter.Target(
                    decision.model(),
                    decision.category(),
                    decision.reasoning(),
                    decision.reasoningEffort(),
                    decision.decision() != null,
                    decision.systemPrompt()),
                cfg);
    int bodyLength = newBody != null ? newBody.length : ctx.body().length;

    Mutations mutations =
        ctx.mutations()
            .set(RoutingHeaders.SELECTED_MODEL, decision.model())
            .set("content-length", Integer.toString(bodyLength));
    if (ctx.pii().found()) {
      mutations.set(RoutingHeaders.VSR_PII_TYPES, String.join(",", ctx.pii().types()));
    }
    if (cfg.routing().endpointPicking()) {
      Optional<Backend> backend = endpointPicker.pick(cfg, decision.model());
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

package io.semroute.extproc.attempt;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.semroute.config.Backend;
import io.semroute.config.ResilienceSettings;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.openai.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The pieces of {@code deploy/envoy/envoy.yaml} that let Envoy retry a failed attempt on the next
 * candidate model, generated from the router's config so that they cannot drift from it:
 *
 * <ul>
 *   <li>per chain of models (the decided model, then up to {@code max_attempts - 1} others; every
 *       ordered chain of configured models, since the router picks one per request), a route that
 *       matches {@code x-selected-model} and {@link AttemptHeaders#CHAIN} and retries {@code
 *       connect-failure,reset,retriable-status-codes} (429, 502, 503, 504) with the {@code
 *       previous_priorities} retry priority, so each retry goes to the next priority level;
 *   <li>per chain a cluster whose priority levels are the chain's models' backends in order, each
 *       endpoint's metadata naming its model ({@link AttemptHeaders#METADATA_NAMESPACE}), and whose
 *       upstream HTTP filters are the router's ext_proc (the upstream pass, marked by {@link
 *       AttemptHeaders#PHASE_METADATA}) then {@code upstream_codec}.
 * </ul>
 *
 * Without {@code resilience.fallback} the chains are as long as its default {@code max_attempts};
 * the routes are then never matched, as the router sets no chain.
 */
public final class FallbackRoutes {
  /** The name of the ext_proc cluster in envoy.yaml. */
  public static final String ROUTER_CLUSTER = "semantic_router";

  public static final String ROUTE_PREFIX = "fallback-";
  public static final String RETRY_ON = "connect-failure,reset,retriable-status-codes";
  public static final List<Integer> RETRIABLE_STATUS_CODES = List.of(429, 502, 503, 504);
  public static final String PREVIOUS_PRIORITIES = "envoy.retry_priorities.previous_priorities";
  public static final String EXT_PROC = "envoy.filters.http.ext_proc";
  public static final String UPSTREAM_CODEC = "envoy.filters.http.upstream_codec";
  public static final String PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

  /** The per-attempt processing: the request whole (to rewrite it), the answer's headers only. */
  public static final ProcessingMode UPSTREAM_MODE =
      ProcessingMode.newBuilder()
          .setRequestHeaderMode(HeaderSendMode.SEND)
          .setResponseHeaderMode(HeaderSendMode.SEND)
          .setRequestBodyMode(BodySendMode.BUFFERED)
          .setResponseBodyMode(BodySendMode.NONE)
          .setRequestTrailerMode(HeaderSendMode.SKIP)
          .setResponseTrailerMode(HeaderSendMode.SKIP)
          .build();

  private static final long ROUTE_TIMEOUT_SECONDS = 600;
  private static final long MESSAGE_TIMEOUT_SECONDS = 10;
  private static final long CONNECT_TIMEOUT_SECONDS = 2;
  private static final int BUFFER_LIMIT_BYTES = 50 * 1024 * 1024;

  private final List<Route> routes = new ArrayList<>();
  private final List<Cluster> clusters = new ArrayList<>();

  private FallbackRoutes() {}

  /** The routes and clusters for every chain of the config's models that have backends. */
  public static FallbackRoutes of(RouterConfig cfg) {
    ResilienceSettings.Fallback fallback = cfg.resilience().fallback();
    int attempts =
        fallback.enabled()
            ? fallback.maxAttempts()
            : ResilienceSettings.Fallback.DEFAULT_MAX_ATTEMPTS;
    List<String> models =
        cfg.models().keySet().stream().filter(m -> !cfg.backendsFor(m).isEmpty()).toList();
    FallbackRoutes out = new FallbackRoutes();
    List<List<String>> chains = new ArrayList<>();
    for (String first : models) {
      extend(new ArrayList<>(List.of(first)), models, attempts, chains);
    }
    for (List<String> chain : chains) {
      String name = ROUTE_PREFIX + String.join("-then-", chain);
      out.routes.add(route(name, chain));
      out.clusters.add(cluster(name, chain, cfg));
    }
    return out;
  }

  private static void extend(
      List<String> chain, List<String> models, int attempts, List<List<String>> chains) {
    if (chain.size() >= 2) {
      chains.add(List.copyOf(chain));
    }
    if (chain.size() >= attempts) {
      return;
    }
    for (String m : models) {
      if (!chain.contains(m)) {
        chain.add(m);
        extend(chain, models, attempts, chains);
        chain.remove(chain.size() - 1);
      }
    }
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  public List<Cluster> clusters() {
    return List.copyOf(clusters);
  }

  private static Route route(String name, List<String> chain) {
    return Route.newBuilder()
        .setName(name)
        .setMatch(
            RouteMatch.newBuilder()
                .setPrefix("/")
                .addHeaders(exact(RoutingHeaders.SELECTED_MODEL, chain.get(0)))
                .addHeaders(exact(AttemptHeaders.CHAIN, String.join(",", chain))))
        .setRoute(
            RouteAction.newBuilder()
                .setCluster(name)
                .setTimeout(seconds(ROUTE_TIMEOUT_SECONDS))
                .setRetryPolicy(
                    RetryPolicy.newBuilder()
                        .setRetryOn(RETRY_ON)
                        .setNumRetries(UInt32Value.of(chain.size() - 1))
                        .addAllRetriableStatusCodes(RETRIABLE_STATUS_CODES)
                        .setRetryPriority(
                            RetryPolicy.RetryPriority.newBuilder()
                                .setName(PREVIOUS_PRIORITIES)
                                .setTypedConfig(
                                    Any.pack(
                                        PreviousPrioritiesConfig.newBuilder()
                                            .setUpdateFrequency(1)
                                            .build())))))
        .build();
  }

  private static HeaderMatcher exact(String header, String value) {
    return HeaderMatcher.newBuilder()
        .setName(header)
        .setStringMatch(StringMatcher.newBuilder().setExact(value))
        .build();
  }

  private static Cluster cluster(String name, List<String> chain, RouterConfig cfg) {
    ClusterLoadAssignment.Builder load = ClusterLoadAssignment.newBuilder().setClusterName(name);
    for (int priority = 0; priority < chain.size(); priority++) {
      String model = chain.get(priority);
      LocalityLbEndpoints.Builder level = LocalityLbEndpoints.newBuilder().setPriority(priority);
      for (Backend b : cfg.backendsFor(model)) {
        level.addLbEndpoints(
            LbEndpoint.newBuilder()
                .setEndpoint(
                    Endpoint.newBuilder()
                        .setAddress(
                            Address.newBuilder()
                                .setSocketAddress(
                                    SocketAddress.newBuilder()
                                        .setAddress(b.host())
                                        .setPortValue(b.port()))))
                .setMetadata(
                    Metadata.newBuilder()
                        .putFilterMetadata(
                            AttemptHeaders.METADATA_NAMESPACE,
                            Struct.newBuilder()
                                .putFields(
                                    AttemptHeaders.METADATA_MODEL,
                                    Value.newBuilder().setStringValue(model).build())
                                .build())));
      }
      load.addEndpoints(level);
    }
    HttpProtocolOptions options =
        HttpProtocolOptions.newBuilder()
            .setExplicitHttpConfig(
                HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                    .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance()))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName(EXT_PROC)
                    .setTypedConfig(Any.pack(upstreamExtProc())))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName(UPSTREAM_CODEC)
                    .setTypedConfig(Any.pack(UpstreamCodec.getDefaultInstance())))
            .build();
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.STRICT_DNS)
        .setConnectTimeout(seconds(CONNECT_TIMEOUT_SECONDS))
        .setPerConnectionBufferLimitBytes(UInt32Value.of(BUFFER_LIMIT_BYTES))
        .putTypedExtensionProtocolOptions(PROTOCOL_OPTIONS, Any.pack(options))
        .setLoadAssignment(load)
        .build();
  }

  /** The router as the upstream filter: fail-closed like the listener's, one stream per attempt. */
  public static ExternalProcessor upstreamExtProc() {
    return ExternalProcessor.newBuilder()
        .setGrpcService(
            GrpcService.newBuilder()
                .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(ROUTER_CLUSTER))
                .addInitialMetadata(
                    HeaderValue.newBuilder()
                        .setKey(AttemptHeaders.PHASE_METADATA)
                        .setValue(AttemptHeaders.UPSTREAM_PHASE)))
        .setFailureModeAllow(false)
        .setMessageTimeout(seconds(MESSAGE_TIMEOUT_SECONDS))
        .setProcessingMode(UPSTREAM_MODE)
        .addRequestAttributes(AttemptHeaders.MODEL_ATTRIBUTE)
        .build();
  }

  private static Duration seconds(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  /** Every {@code @type} the generated pieces use, for printing and parsing them. */
  public static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(HttpProtocolOptions.getDescriptor())
          .add(ExternalProcessor.getDescriptor())
          .add(UpstreamCodec.getDescriptor())
          .add(PreviousPrioritiesConfig.getDescriptor())
          .build();

  /**
   * The routes (to put before the model routes) and clusters as envoy.yaml text, under the keys
   * {@code routes} and {@code clusters}, in Envoy's field names.
   */
  public String yaml() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("routes", plain(routes));
    doc.put("clusters", plain(clusters));
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setWidth(100);
    return new Yaml(options).dump(doc);
  }

  private static List<Object> plain(List<? extends Message> messages) {
    JsonFormat.Printer printer =
        JsonFormat.printer().usingTypeRegistry(TYPES).preservingProtoFieldNames();
    List<Object> out = new ArrayList<>();
    for (Message m : messages) {
      try {
        out.add(Json.MAPPER.readValue(printer.print(m), Object.class));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }
}

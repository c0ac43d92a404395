package io.semroute.extproc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.attempt.AttemptHeaders;
import io.semroute.extproc.attempt.FallbackRoutes;
import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.openai.Json;
import io.semroute.testkit.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/envoy/envoy.yaml's fallback routes and clusters are exactly what {@link FallbackRoutes}
 * generates for the root config.yaml (so they cannot drift from the models and backends), and say
 * what Envoy needs to retry a failed attempt on the next candidate model.
 */
class FallbackRoutesYamlTest {

  private static RouterConfig rootConfig() throws Exception {
    return ConfigLoader.load(Fixtures.repo("config.yaml"));
  }

  private static List<Route> shippedRoutes(EnvoyConfig envoy) {
    return envoy
        .httpConnectionManager()
        .getRouteConfig()
        .getVirtualHosts(0)
        .getRoutesList()
        .stream()
        .filter(r -> r.getName().startsWith(FallbackRoutes.ROUTE_PREFIX))
        .toList();
  }

  private static List<Cluster> shippedClusters(EnvoyConfig envoy) {
    return envoy.clusters().values().stream()
        .filter(c -> c.getName().startsWith(FallbackRoutes.ROUTE_PREFIX))
        .toList();
  }

  @Test
  void shippedPiecesAreThoseGeneratedForTheRootConfig() throws Exception {
    EnvoyConfig envoy = EnvoyConfig.load();
    FallbackRoutes generated = FallbackRoutes.of(rootConfig());
    String hint =
        "deploy/envoy/envoy.yaml must carry what `router envoy-fallback --config config.yaml`"
            + " prints:\n"
            + generated.yaml();
    assertThat(shippedRoutes(envoy)).as(hint).isEqualTo(generated.routes());
    assertThat(shippedClusters(envoy)).as(hint).isEqualTo(generated.clusters());
    // Two models, max_attempts 2 by default: one chain each way.
    assertThat(generated.routes()).hasSize(2);
  }

  @Test
  void thePrintedYamlParsesBackIntoTheSamePieces() throws Exception {
    FallbackRoutes generated = FallbackRoutes.of(rootConfig());
    Map<String, Object> doc =
        new Yaml(new SafeConstructor(new LoaderOptions())).load(generated.yaml());
    List<Route> routes = new ArrayList<>();
    for (Object r : (List<?>) doc.get("routes")) {
      Route.Builder b = Route.newBuilder();
      JsonFormat.parser()
          .usingTypeRegistry(EnvoyConfig.TYPES)
          .merge(Json.MAPPER.writeValueAsString(r), b);
      routes.add(b.build());
    }
    List<Cluster> clusters = new ArrayList<>();
    for (Object c : (List<?>) doc.get("clusters")) {
      Cluster.Builder b = Cluster.newBuilder();
      JsonFormat.parser()
          .usingTypeRegistry(EnvoyConfig.TYPES)
          .merge(Json.MAPPER.writeValueAsString(c), b);
      clusters.add(b.build());
    }
    assertThat(routes).isEqualTo(generated.routes());
    assertThat(clusters).isEqualTo(generated.clusters());
  }

  @Test
  void everyOrderedChainUpToMaxAttemptsGetsARouteAndACluster() throws Exception {
    RouterConfig three =
        ConfigLoader.parse(
            """
            default_model: a
            models: {a: {}, b: {}, c: {}}
            backends:
              - {name: one, address: "one:8000", models: [a]}
              - {name: two, address: "two:8000", models: [b, c]}
            resilience:
              fallback: {max_attempts: 3}
            """,
            Path.of("three.yaml"));
    FallbackRoutes generated = FallbackRoutes.of(three);
    // 3 x 2 chains of two, 3 x 2 x 1 of three.
    assertThat(generated.routes()).hasSize(12);
    Route abc =
        generated.routes().stream()
            .filter(r -> r.getName().equals("fallback-a-then-b-then-c"))
            .findFirst()
            .orElseThrow();
    assertThat(abc.getMatch().getHeaders(1).getStringMatch().getExact()).isEqualTo("a,b,c");
    assertThat(abc.getRoute().getRetryPolicy().getNumRetries().getValue()).isEqualTo(2);
    Cluster cluster =
        generated.clusters().stream()
            .filter(c -> c.getName().equals(abc.getRoute().getCluster()))
            .findFirst()
            .orElseThrow();
    assertThat(cluster.getLoadAssignment().getEndpointsList())
        .extracting(
            l ->
                l.getPriority()
                    + "="
                    + l.getLbEndpoints(0)
                        .getEndpoint()
                        .getAddress()
                        .getSocketAddress()
                        .getAddress())
        .containsExactly("0=one", "1=two", "2=two");
  }

  @Test
  void fallbackRoutesComeBeforeThePlainModelRoutes() throws Exception {
    List<Route> routes =
        EnvoyConfig.load()
            .httpConnectionManager()
            .getRouteConfig()
            .getVirtualHosts(0)
            .getRoutesList();
    int lastFallback = -1;
    int firstModel = Integer.MAX_VALUE;
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      if (r.getName().startsWith(FallbackRoutes.ROUTE_PREFIX)) {
        lastFallback = i;
      } else if (r.getMatch().getHeadersCount() == 1) {
        firstModel = Math.min(firstModel, i);
      }
    }
    assertThat(lastFallback).isGreaterThanOrEqualTo(0).isLessThan(firstModel);
  }

  @Test
  void eachRouteRetriesOnTheNextPriorityLevel() throws Exception {
    for (Route r : shippedRoutes(EnvoyConfig.load())) {
      assertThat(r.getMatch().getHeadersList())
          .extracting(h -> h.getName())
          .containsExactly("x-selected-model", AttemptHeaders.CHAIN);
      String chain = r.getMatch().getHeaders(1).getStringMatch().getExact();
      assertThat(chain).startsWith(r.getMatch().getHeaders(0).getStringMatch().getExact() + ",");
      RetryPolicy retry = r.getRoute().getRetryPolicy();
      assertThat(retry.getRetryOn()).isEqualTo("connect-failure,reset,retriable-status-codes");
      assertThat(retry.getRetriableStatusCodesList()).containsExactly(429, 502, 503, 504);
      assertThat(retry.getNumRetries().getValue()).isEqualTo(chain.split(",").length - 1);
      assertThat(retry.getRetryPriority().getName())
          .isEqualTo("envoy.retry_priorities.previous_priorities");
      assertThat(
              EnvoyConfig.unpack(
                      retry.getRetryPriority().getTypedConfig(), PreviousPrioritiesConfig.class)
                  .getUpdateFrequency())
          .isEqualTo(1);
      assertThat(r.getRoute().getTimeout().getSeconds()).isGreaterThanOrEqualTo(300);
    }
  }

  @Test
  void clustersLevelTheChainsModelsWithTheirMetadataAndRunTheRouterUpstream() throws Exception {
    EnvoyConfig envoy = EnvoyConfig.load();
    List<Route> routes = shippedRoutes(envoy);
    assertThat(routes).isNotEmpty();
    for (Route r : routes) {
      Cluster c = envoy.clusters().get(r.getRoute().getCluster());
      assertThat(c).as("cluster of " + r.getName()).isNotNull();
      List<String> chain =
          List.of(r.getMatch().getHeaders(1).getStringMatch().getExact().split(","));
      List<LocalityLbEndpoints> levels = c.getLoadAssignment().getEndpointsList();
      assertThat(levels).hasSize(chain.size());
      for (int p = 0; p < levels.size(); p++) {
        assertThat(levels.get(p).getPriority()).isEqualTo(p);
        assertThat(levels.get(p).getLbEndpointsList()).isNotEmpty();
        for (LbEndpoint e : levels.get(p).getLbEndpointsList()) {
          assertThat(
                  e.getMetadata()
                      .getFilterMetadataOrThrow(AttemptHeaders.METADATA_NAMESPACE)
                      .getFieldsOrThrow(AttemptHeaders.METADATA_MODEL)
                      .getStringValue())
              .isEqualTo(chain.get(p));
        }
      }
      HttpProtocolOptions options =
          EnvoyConfig.unpack(
              c.getTypedExtensionProtocolOptionsOrThrow(FallbackRoutes.PROTOCOL_OPTIONS),
              HttpProtocolOptions.class);
      List<HttpFilter> filters = options.getHttpFiltersList();
      assertThat(filters)
          .extracting(HttpFilter::getName)
          .containsExactly("envoy.filters.http.ext_proc", "envoy.filters.http.upstream_codec");
      ExternalProcessor ext =
          EnvoyConfig.unpack(filters.get(0).getTypedConfig(), ExternalProcessor.class);
      assertThat(ext.getGrpcService().getEnvoyGrpc().getClusterName()).isEqualTo("semantic_router");
      assertThat(ext.getGrpcService().getInitialMetadataList())
          .anySatisfy(
              h -> {
                assertThat(h.getKey()).isEqualTo(AttemptHeaders.PHASE_METADATA);
                assertThat(h.getValue()).isEqualTo(AttemptHeaders.UPSTREAM_PHASE);
              });
      assertThat(ext.getRequestAttributesList())
          .containsExactly("xds.upstream_host_metadata.filter_metadata['semroute']['model']");
      assertThat(ext.getFailureModeAllow()).isFalse();
    }
  }
}

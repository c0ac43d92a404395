package io.semroute.extproc.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.semroute.extproc.emulator.EnvoyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/envoy/envoy.yaml parses strictly with Envoy's own protos and says what the docs say. */
class EnvoyYamlTest {
  private static final int FIFTY_MIB = 50 * 1024 * 1024;

  @Test
  void parsesStrictlyIntoBootstrap() throws Exception {
    EnvoyConfig envoy = EnvoyConfig.load();
    assertThat(envoy.listener().getAddress().getSocketAddress().getPortValue()).isEqualTo(8801);
    assertThat(envoy.listener().getPerConnectionBufferLimitBytes().getValue())
        .isGreaterThanOrEqualTo(FIFTY_MIB);
  }

  @Test
  void extProcFilterFollowsTheContract() throws Exception {
    EnvoyConfig envoy = EnvoyConfig.load();
    HttpConnectionManager hcm = envoy.httpConnectionManager();
    assertThat(hcm.getHttpFiltersList())
        .extracting(f -> f.getName())
        .containsExactly("envoy.filters.http.ext_proc", "envoy.filters.http.router");
    ExternalProcessor ext = envoy.extProc();
    assertThat(ext.getGrpcService().getEnvoyGrpc().getClusterName()).isEqualTo("semantic_router");
    assertThat(ext.getProcessingMode().getRequestHeaderMode()).isEqualTo(HeaderSendMode.SEND);
    assertThat(ext.getProcessingMode().getResponseHeaderMode()).isEqualTo(HeaderSendMode.SEND);
    assertThat(ext.getProcessingMode().getRequestBodyMode()).isEqualTo(BodySendMode.BUFFERED);
    assertThat(ext.getProcessingMode().getResponseBodyMode()).isEqualTo(BodySendMode.BUFFERED);
    assertThat(ext.getProcessingMode().getRequestTrailerMode()).isEqualTo(HeaderSendMode.SKIP);
    assertThat(ext.getProcessingMode().getResponseTrailerMode()).isEqualTo(HeaderSendMode.SKIP);
    assertThat(ext.getAllowModeOverride()).isTrue();
    assertThat(ext.getFailureModeAllow()).as("documented choice: fail-closed").isFalse();
    // Far above Envoy's 200 ms default, which would 504 any real classifier.
    assertThat(ext.getMessageTimeout().getSeconds()).isBetween(2L, 60L);
    assertThat(ext.getMetadataOptions().getReceivingNamespaces().getUntypedList())
        .contains("envoy.lb");
  }

  @Test
  void routesSendEachModelToItsClusterAndTheRestToTheDefault() throws Exception {
    EnvoyConfig envoy = EnvoyConfig.load();
    List<Route> routes =
        envoy.httpConnectionManager().getRouteConfig().getVirtualHosts(0).getRoutesList();
    Map<String, Cluster> clusters = envoy.clusters();
    assertThat(routes.get(0).getMatch().getPath()).isEqualTo("/v1/models");
    for (Route r : routes) {
      assertThat(clusters)
          .as("cluster of route " + r.getName())
          .containsKey(r.getRoute().getCluster());
      if (!r.getMatch().getHeadersList().isEmpty()) {
        assertThat(r.getMatch().getHeaders(0).getName()).isEqualTo("x-selected-model");
        assertThat(r.getRoute().getTimeout().getSeconds())
            .as("LLM answers take minutes")
            .isGreaterThanOrEqualTo(300);
      }
    }
    assertThat(routes.get(routes.size() - 1).getMatch().getPrefix()).isEqualTo("/");
    assertThat(routes.get(routes.size() - 1).getMatch().getHeadersCount()).isZero();
  }

  @Test
  void clustersUseDnsNamesAndTheRouterClusterSpeaksHttp2() throws Exception {
    Map<String, Cluster> clusters = EnvoyConfig.load().clusters();
    for (String name : List.of("vllm-qwen", "vllm-llama")) {
      Cluster c = clusters.get(name);
      assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
      assertThat(
              c.getLoadAssignment()
                  .getEndpoints(0)
                  .getLbEndpoints(0)
                  .getEndpoint()
                  .getAddress()
                  .getSocketAddress()
                  .getAddress())
          .isEqualTo(name);
      assertThat(c.getPerConnectionBufferLimitBytes().getValue()).isGreaterThanOrEqualTo(FIFTY_MIB);
    }
    Cluster router = clusters.get("semantic_router");
    assertThat(
            router
                .getLoadAssignment()
                .getEndpoints(0)
                .getLbEndpoints(0)
                .getEndpoint()
                .getAddress()
                .getSocketAddress()
                .getPortValue())
        .isEqualTo(50051);
    HttpProtocolOptions options =
        EnvoyConfig.unpack(
            router.getTypedExtensionProtocolOptionsOrThrow(
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"),
            HttpProtocolOptions.class);
    assertThat(options.getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
    assertThat(router.getHealthChecks(0).getGrpcHealthCheck().getServiceName())
        .isEqualTo("envoy.service.ext_proc.v3.ExternalProcessor");
  }

  @Test
  void theParserIsStrict(@TempDir Path dir) throws Exception {
    String yaml =
        Files.readString(EnvoyConfig.defaultPath())
            .replace("allow_mode_override: true", "allow_mode_overide: true");
    Path broken = dir.resolve("envoy.yaml");
    Files.writeString(broken, yaml);
    assertThatThrownBy(() -> EnvoyConfig.load(broken))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("allow_mode_overide");
  }
}

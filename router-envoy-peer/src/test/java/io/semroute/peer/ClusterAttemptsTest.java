package io.semroute.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The router filter's attempts without an upstream filter: which endpoint each attempt goes to and
 * when it is retried, with a stand-in upstream. (With the router's upstream ext_proc filter:
 * router-extproc's EnvoyFallbackEndToEndTest, over real gRPC and HTTP.)
 */
class ClusterAttemptsTest {
  private static final RetryPolicy RETRY =
      RetryPolicy.newBuilder()
          .setRetryOn("connect-failure,reset,retriable-status-codes")
          .addAllRetriableStatusCodes(List.of(429, 502, 503, 504))
          .setNumRetries(UInt32Value.of(2))
          .setRetryPriority(
              RetryPolicy.RetryPriority.newBuilder()
                  .setName("envoy.retry_priorities.previous_priorities"))
          .build();

  private static LocalityLbEndpoints level(int priority, String host) {
    return LocalityLbEndpoints.newBuilder()
        .setPriority(priority)
        .addLbEndpoints(
            LbEndpoint.newBuilder()
                .setEndpoint(
                    Endpoint.newBuilder()
                        .setAddress(
                            Address.newBuilder()
                                .setSocketAddress(
                                    SocketAddress.newBuilder()
                                        .setAddress(host)
                                        .setPortValue(8000)))))
        .build();
  }

  private static Cluster cluster(String... hosts) {
    ClusterLoadAssignment.Builder load = ClusterLoadAssignment.newBuilder();
    for (int p = 0; p < hosts.length; p++) {
      load.addEndpoints(level(p, hosts[p]));
    }
    return Cluster.newBuilder().setName("c").setLoadAssignment(load).build();
  }

  /** Answers by host: a status, or -1 for a refused connection. */
  private static Upstream<String> answering(Map<String, Integer> byHost, List<String> called) {
    return (endpoint, headers, body) -> {
      called.add(endpoint);
      int status = byHost.get(endpoint.split(":")[0]);
      if (status < 0) {
        throw new FilterFailure(503, "refused", new ConnectException("refused"));
      }
      return new UpstreamResponse(
          status, new LinkedHashMap<>(), new ByteArrayInputStream(new byte[0]));
    };
  }

  private static Map<String, List<String>> request() {
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put(":path", new ArrayList<>(List.of("/v1/chat/completions")));
    return h;
  }

  @Test
  void eachRetryGoesToTheNextPriorityLevelUntilOneAnswers() throws Exception {
    List<String> called = new ArrayList<>();
    List<AttemptRecord> records = new ArrayList<>();
    ClusterAttempts attempts =
        new ClusterAttempts(
            null, answering(Map.of("a", 503, "b", -1, "c", 200), called), records::add);
    UpstreamResponse answer = attempts.call(cluster("a", "b", "c"), RETRY, request(), new byte[0]);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(called).containsExactly("a:8000", "b:8000", "c:8000");
    assertThat(records).extracting(AttemptRecord::status).containsExactly(503, 0, 200);
  }

  @Test
  void numRetriesBoundsTheAttemptsAndTheLastAnswerIsTheClients() throws Exception {
    List<String> called = new ArrayList<>();
    ClusterAttempts attempts =
        new ClusterAttempts(null, answering(Map.of("a", 503, "b", 502, "c", 200), called), r -> {});
    RetryPolicy once = RETRY.toBuilder().setNumRetries(UInt32Value.of(1)).build();
    UpstreamResponse answer = attempts.call(cluster("a", "b", "c"), once, request(), new byte[0]);
    assertThat(answer.status()).isEqualTo(502);
    assertThat(called).containsExactly("a:8000", "b:8000");
  }

  @Test
  void withoutPreviousPrioritiesRetriesStayOnPriorityZeroAndOtherStatusesAreNotRetried()
      throws Exception {
    List<String> called = new ArrayList<>();
    ClusterAttempts attempts =
        new ClusterAttempts(null, answering(Map.of("a", 503, "b", 200), called), r -> {});
    RetryPolicy samePriority = RETRY.toBuilder().clearRetryPriority().build();
    assertThat(attempts.call(cluster("a", "b"), samePriority, request(), new byte[0]).status())
        .isEqualTo(503);
    assertThat(called).containsExactly("a:8000", "a:8000", "a:8000");

    called.clear();
    ClusterAttempts badRequest =
        new ClusterAttempts(null, answering(Map.of("a", 400, "b", 200), called), r -> {});
    assertThat(badRequest.call(cluster("a", "b"), RETRY, request(), new byte[0]).status())
        .isEqualTo(400);
    assertThat(called).containsExactly("a:8000");
  }

  @Test
  void aRefusedConnectionOnTheLastAttemptFailsTheRequest() {
    ClusterAttempts attempts =
        new ClusterAttempts(null, answering(Map.of("a", -1), new ArrayList<>()), r -> {});
    assertThatThrownBy(
            () ->
                attempts.call(
                    cluster("a"), RetryPolicy.getDefaultInstance(), request(), new byte[0]))
        .isInstanceOf(FilterFailure.class)
        .satisfies(e -> assertThat(((FilterFailure) e).status()).isEqualTo(503));
  }

  @Test
  void upstreamFiltersMustEndWithUpstreamCodec() {
    Cluster noCodec =
        cluster("a").toBuilder()
            .putTypedExtensionProtocolOptions(
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                Any.pack(
                    HttpProtocolOptions.newBuilder()
                        .addHttpFilters(
                            HttpFilter.newBuilder()
                                .setName("envoy.filters.http.ext_proc")
                                .setTypedConfig(Any.pack(ExternalProcessor.getDefaultInstance())))
                        .build()))
            .build();
    ClusterAttempts attempts =
        new ClusterAttempts(null, answering(Map.of("a", 200), new ArrayList<>()), r -> {});
    assertThatThrownBy(() -> attempts.call(noCodec, RETRY, request(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("upstream_codec");
  }

  @Test
  void aRetryConditionThePeerDoesNotPlayFailsLoudly() throws IOException {
    ClusterAttempts attempts =
        new ClusterAttempts(null, answering(Map.of("a", 200), new ArrayList<>()), r -> {});
    RetryPolicy gateway = RETRY.toBuilder().setRetryOn("gateway-error").build();
    assertThatThrownBy(() -> attempts.call(cluster("a"), gateway, request(), new byte[0]))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("gateway-error");
  }
}

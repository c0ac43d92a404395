package io.semroute.extproc.emulator;

import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.semroute.peer.AttemptRecord;
import io.semroute.peer.ClusterAttempts;
import io.semroute.peer.Downstream;
import io.semroute.peer.FilterFailure;
import io.semroute.peer.FilterSettings;
import io.semroute.peer.FilterWalk;
import io.semroute.peer.Forwarded;
import io.semroute.peer.HttpUpstream;
import io.semroute.peer.MessageReply;
import io.semroute.peer.Walked;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Plays Envoy's HTTP filter chain (ext_proc filter + router filter) against the real router over a
 * real gRPC stream: the peer's {@link FilterWalk} with the settings of deploy/envoy/envoy.yaml
 * (processing mode, {@code allow_mode_override}, {@code message_timeout}, buffer limit) and its
 * route table; the router filter's attempts by the peer's {@link ClusterAttempts} (the route's
 * {@code retry_policy}, the cluster's priority levels and upstream ext_proc filter, which is the
 * router again); the upstream a real HTTP server (cluster endpoints resolved through a test "DNS"
 * map), {@code content-length} forwarded as the router left it.
 *
 * <p>Whatever Envoy would fail the request for (a spurious reply, a timeout, a refused mutation, a
 * replaced body without its {@code content-length}, a stream not ended after the last message)
 * throws {@link ProtocolViolation}, so a test sees the router's mistake rather than a 500.
 */
public final class EnvoyEmulator implements AutoCloseable {
  static {
    // Forward content-length as the router set it instead of letting HttpClient recompute it.
    if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
      System.setProperty("jdk.httpclient.allowRestrictedHeaders", "content-length");
    }
  }

  /** envoy.yaml's route timeout, for the upstream's response headers. */
  private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(600);

  private final RouteTable routes;
  private final ManagedChannel channel;
  private final FilterWalk<RouteTable.RouteEntry> filters;
  private final Map<String, Route> routeProtos;
  private final Map<String, Cluster> clusters;
  private final ClusterAttempts attempts;
  private final ThreadLocal<List<AttemptRecord>> attemptLog =
      ThreadLocal.withInitial(ArrayList::new);

  /**
   * @param envoy the parsed deploy/envoy/envoy.yaml
   * @param routerPort where the router's gRPC server listens on localhost
   * @param dns cluster endpoint {@code host:port} as written in envoy.yaml → real local address
   */
  public EnvoyEmulator(EnvoyConfig envoy, int routerPort, Map<String, InetSocketAddress> dns) {
    ExternalProcessor filter = envoy.extProc();
    this.routes = RouteTable.of(envoy);
    long bufferLimitBytes =
        envoy.listener().getPerConnectionBufferLimitBytes().getValue() > 0
            ? envoy.listener().getPerConnectionBufferLimitBytes().getValue()
            : 1024 * 1024;
    // Envoy's default message_timeout is 200 ms.
    Duration messageTimeout =
        Duration.ofMillis(
            filter.hasMessageTimeout() ? Durations.toMillis(filter.getMessageTimeout()) : 200);
    Map<String, InetSocketAddress> resolved = Map.copyOf(dns);
    Map<String, Route> byName = new LinkedHashMap<>();
    for (Route r :
        envoy.httpConnectionManager().getRouteConfig().getVirtualHosts(0).getRoutesList()) {
      byName.put(r.getName(), r);
    }
    this.routeProtos = Map.copyOf(byName);
    this.clusters = envoy.clusters();
    this.channel =
        NettyChannelBuilder.forAddress("127.0.0.1", routerPort)
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    // The router filter: per attempt, the cluster's upstream filters (the router's upstream pass
    // on the fallback clusters) and the endpoint, retried by the route's retry_policy.
    this.attempts =
        new ClusterAttempts(
            ExternalProcessorGrpc.newStub(channel),
            new HttpUpstream<String>(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                endpoint -> {
                  InetSocketAddress target = resolved.get(endpoint);
                  if (target == null) {
                    throw new IllegalStateException("no test DNS entry for upstream " + endpoint);
                  }
                  return "127.0.0.1:" + target.getPort();
                },
                UPSTREAM_TIMEOUT,
                true),
            attempt -> attemptLog.get().add(attempt));
    this.filters =
        new FilterWalk<>(
            ExternalProcessorGrpc.newStub(channel),
            new FilterSettings(
                filter.getProcessingMode(),
                filter.getAllowModeOverride(),
                bufferLimitBytes,
                messageTimeout),
            headers -> routes.match(headers).orElse(null),
            (route, headers, body) ->
                attempts.call(
                    clusters.get(route.cluster()),
                    routeProtos.get(route.name()).getRoute().getRetryPolicy(),
                    headers,
                    body));
  }

  /** Every attempt of the last request this thread sent, in order. */
  public List<AttemptRecord> lastAttempts() {
    return List.copyOf(attemptLog.get());
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Plays one client request through Envoy. */
  public Exchange send(ClientRequest request) throws IOException, InterruptedException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    put(headers, ":method", request.method());
    put(headers, ":path", request.path());
    put(headers, ":scheme", "http");
    put(headers, ":authority", "envoy:8801");
    request.headers().forEach((k, v) -> put(headers, k, v));
    FilterWalk.addConnectionManagerHeaders(headers);

    attemptLog.get().clear();
    Client client = new Client();
    Walked<RouteTable.RouteEntry> walked;
    try {
      walked = filters.walk(headers, request.body(), client);
    } catch (FilterFailure f) {
      if (f.getCause() instanceof IOException upstreamFailure) {
        throw upstreamFailure;
      }
      throw new ProtocolViolation(f.getMessage());
    }
    if (walked.streamProblem() != null) {
      throw new ProtocolViolation(walked.streamProblem());
    }
    List<Exchange.Step> trace = new ArrayList<>();
    for (MessageReply step : walked.trace()) {
      trace.add(new Exchange.Step(step.message().getRequestCase(), step.message(), step.reply()));
    }
    Forwarded<RouteTable.RouteEntry> up = walked.forwarded();
    Exchange.UpstreamRequest upstream =
        up == null
            ? null
            : new Exchange.UpstreamRequest(
                up.route().name(),
                up.route().cluster(),
                endpoint(up.route()),
                up.headers(),
                up.body());
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    client.chunks.forEach(all::writeBytes);
    return new Exchange(
        client.status,
        client.headers,
        all.toByteArray(),
        List.copyOf(client.chunks),
        walked.localReply(),
        upstream,
        List.copyOf(trace));
  }

  /** The first endpoint of the route's cluster, as written in envoy.yaml. */
  private String endpoint(RouteTable.RouteEntry route) {
    List<String> endpoints = routes.endpoints(route.cluster());
    if (endpoints.isEmpty()) {
      throw new IllegalStateException("cluster " + route.cluster() + " has no endpoints");
    }
    return endpoints.get(0);
  }

  /** What the client receives. */
  private static final class Client implements Downstream {
    int status;
    Map<String, List<String>> headers;
    final List<byte[]> chunks = new ArrayList<>();

    @Override
    public void head(int status, Map<String, List<String>> headers, long length) {
      this.status = status;
      this.headers = headers;
    }

    @Override
    public void body(byte[] chunk) {
      chunks.add(chunk);
    }
  }

  private static void put(Map<String, List<String>> h, String k, String v) {
    h.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).add(v);
  }
}

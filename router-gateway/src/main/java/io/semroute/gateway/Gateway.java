package io.semroute.gateway;

import com.sun.net.httpserver.HttpServer;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.peer.FilterSettings;
import io.semroute.peer.FilterWalk;
import io.semroute.peer.HttpUpstream;
import io.semroute.peer.Upstream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small local HTTP front that plays Envoy's part for development and demos, where Docker (and so
 * Envoy) is not at hand. <b>Not for production</b>: no TLS, no connection limits, no health
 * checking; use Envoy with deploy/envoy/envoy.yaml there. The one retry it makes is {@code
 * resilience.fallback} ({@link Fallback}).
 *
 * <p>Each request is run through the router over a real ext_proc gRPC stream with the settings of
 * deploy/envoy/envoy.yaml — headers SEND, bodies BUFFERED, trailers SKIP, {@code
 * allow_mode_override}, {@code message_timeout}, the 50 MiB buffer limit, fail-closed — applying
 * the router's header and body mutations, its immediate responses, its {@code content-length} and
 * {@code clear_route_cache}, and {@code mode_override} (SSE answers are streamed back chunk by
 * chunk). The request then goes to a backend of the model named by {@code x-selected-model}, chosen
 * from the config's {@code backends} (weighted), or from {@code --backend model=host:port}
 * overrides.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  /** The processing mode of deploy/envoy/envoy.yaml's ext_proc filter. */
  public static final ProcessingMode ENVOY_YAML_MODE = FilterSettings.ENVOY_YAML_MODE;

  /**
   * How to run.
   *
   * @param listen where the gateway accepts client HTTP (port 0: any free port)
   * @param routerHost host of the router's ext_proc gRPC listener
   * @param routerPort its port
   * @param backendOverrides model → {@code host:port}, replacing the config's backends of that
   *     model
   * @param messageTimeout per ext_proc message (envoy.yaml: 10 s); timing out answers 504
   * @param bufferLimitBytes request bodies above it are answered 413 (envoy.yaml: 50 MiB)
   * @param upstreamTimeout time to the upstream's response headers (envoy.yaml route timeout: 600
   *     s)
   */
  public record Settings(
      InetSocketAddress listen,
      String routerHost,
      int routerPort,
      Map<String, String> backendOverrides,
      Duration messageTimeout,
      long bufferLimitBytes,
      Duration upstreamTimeout) {
    public static final int DEFAULT_PORT = 8801;
    public static final Duration MESSAGE_TIMEOUT = Duration.ofSeconds(10);
    public static final long BUFFER_LIMIT_BYTES = FilterSettings.ENVOY_YAML_BUFFER_LIMIT_BYTES;
    public static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(600);

    public Settings {
      backendOverrides = Map.copyOf(backendOverrides);
    }

    /** Defaults of deploy/envoy/envoy.yaml, on the given addresses. */
    public static Settings defaults(
        InetSocketAddress listen,
        String routerHost,
        int routerPort,
        Map<String, String> backendOverrides) {
      return new Settings(
          listen,
          routerHost,
          routerPort,
          backendOverrides,
          MESSAGE_TIMEOUT,
          BUFFER_LIMIT_BYTES,
          UPSTREAM_TIMEOUT);
    }
  }

  private final Settings settings;
  private final Upstreams upstreams;
  private final Fallback fallback;

  /** The model the current thread's attempt went to (set when its upstream is picked). */
  private final ThreadLocal<String> attemptModel = new ThreadLocal<>();

  private final ManagedChannel channel;
  private final FilterWalk<String> filters;
  private final HttpServer server;
  private final ExecutorService workers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "gateway");
            t.setDaemon(true);
            return t;
          });

  private Gateway(RouterConfig config, Settings settings) throws IOException {
    this.settings = settings;
    this.upstreams = Upstreams.of(config, settings.backendOverrides());
    this.fallback = new Fallback(config);
    this.channel =
        NettyChannelBuilder.forAddress(settings.routerHost(), settings.routerPort())
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(workers)
            .build();
    // The route is the model: x-selected-model when it has backends, else the default model's.
    this.filters =
        new FilterWalk<>(
            ExternalProcessorGrpc.newStub(channel),
            new FilterSettings(
                ENVOY_YAML_MODE, true, settings.bufferLimitBytes(), settings.messageTimeout()),
            headers -> upstreams.routeModel(first(headers, RoutingHeaders.SELECTED_MODEL)),
            withoutAttemptPlan(
                new HttpUpstream<>(http, this::pickAddress, settings.upstreamTimeout(), false)));
    this.server = HttpServer.create(settings.listen(), 128);
    server.createContext("/", exchange -> new ProxiedRequest(this, exchange).run());
    server.setExecutor(workers);
  }

  /**
   * Starts the gateway for {@code config}'s models and backends.
   *
   * @throws IllegalArgumentException for a {@code --backend} override naming an unknown model or a
   *     bad address
   */
  public static Gateway start(RouterConfig config, Settings settings) throws IOException {
    Gateway gateway = new Gateway(config, settings);
    gateway.server.start();
    log.info(
        "gateway (development only) on :{} -> ext_proc {}:{}; backends {}",
        gateway.port(),
        settings.routerHost(),
        settings.routerPort(),
        gateway.upstreams.describe());
    return gateway;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  Settings settings() {
    return settings;
  }

  FilterWalk<String> filters() {
    return filters;
  }

  Fallback fallback() {
    return fallback;
  }

  /** The model this thread's current attempt was sent to, or null before it reached an upstream. */
  String attemptModel() {
    return attemptModel.get();
  }

  /** The model this thread's last attempt was sent to, cleared by reading. */
  String takeAttemptModel() {
    String m = attemptModel.get();
    attemptModel.remove();
    return m;
  }

  /** A weighted choice among the model's backends, per request. */
  /**
   * The router plans Envoy's retries in request headers that its upstream pass removes per attempt;
   * the gateway retries its own way and removes them itself, so no backend sees them.
   */
  private static Upstream<String> withoutAttemptPlan(Upstream<String> backends) {
    return (model, headers, body) -> {
      headers.remove(RoutingHeaders.FALLBACK_CHAIN);
      headers.remove(RoutingHeaders.ATTEMPT_PLAN);
      return backends.call(model, headers, body);
    };
  }

  private String pickAddress(String model) {
    attemptModel.set(model);
    String address = upstreams.pick(model, ThreadLocalRandom.current()).address();
    log.info("-> {} at {}", model, address);
    return address;
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public void close() {
    server.stop(0);
    channel.shutdownNow();
    workers.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

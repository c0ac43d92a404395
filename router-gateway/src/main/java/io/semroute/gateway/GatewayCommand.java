package io.semroute.gateway;

import io.semroute.config.ConfigException;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway}: a local stand-in for Envoy in front of a running router, for development. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Development and demos only: a local stand-in for Envoy in front of a running router.",
      "Plays Envoy's part against the router over real ext_proc gRPC with the settings of"
          + " deploy/envoy/envoy.yaml (bodies BUFFERED, SSE answers streamed, fail-closed) and forwards"
          + " each request to a backend of the model x-selected-model names. In production run Envoy"
          + " with deploy/envoy/envoy.yaml."
    })
public final class GatewayCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      defaultValue = "config.yaml",
      description =
          "Router config: models, backends, default model, router port (default ${DEFAULT-VALUE}).")
  Path config;

  @Option(
      names = "--port",
      defaultValue = "8801",
      description = "HTTP port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Bind address (default ${DEFAULT-VALUE}: this machine only).")
  String host;

  @Option(
      names = "--router",
      description = "Router ext_proc address host:port (default localhost:<listeners.grpc_port>).")
  String router;

  @Option(
      names = "--backend",
      paramLabel = "MODEL=HOST:PORT",
      description =
          "Send MODEL's requests to HOST:PORT instead of its configured backends (repeatable).")
  Map<String, String> backends = new LinkedHashMap<>();

  @Option(
      names = "--message-timeout-ms",
      defaultValue = "10000",
      description =
          "ext_proc message timeout; a router slower than this gets 504 (default ${DEFAULT-VALUE}, as envoy.yaml).")
  long messageTimeoutMillis;

  @Override
  public Integer call() throws Exception {
    RouterConfig cfg;
    try {
      cfg = ConfigLoader.load(config);
    } catch (ConfigException e) {
      System.err.println("gateway: invalid config: " + e.getMessage());
      return 2;
    }
    String routerHost = "localhost";
    int routerPort = cfg.listeners().grpcPort();
    try {
      if (router != null) {
        Upstreams.Target target = Upstreams.parse("--router " + router, router);
        routerHost = target.host();
        routerPort = target.port();
      }
    } catch (IllegalArgumentException e) {
      System.err.println("gateway: " + e.getMessage());
      return 2;
    }
    Gateway.Settings settings =
        new Gateway.Settings(
            new InetSocketAddress(host, port),
            routerHost,
            routerPort,
            backends,
            Duration.ofMillis(messageTimeoutMillis),
            Gateway.Settings.BUFFER_LIMIT_BYTES,
            Gateway.Settings.UPSTREAM_TIMEOUT);
    Gateway gateway;
    try {
      gateway = Gateway.start(cfg, settings);
    } catch (IllegalArgumentException e) {
      System.err.println("gateway: " + e.getMessage());
      return 2;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  stop.countDown();
                },
                "gateway-shutdown"));
    System.out.printf(
        "gateway (development only) on http://%s:%d -> router %s:%d%n",
        host, gateway.port(), routerHost, routerPort);
    stop.await();
    return 0;
  }
}

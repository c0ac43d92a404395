package io.semroute.extproc.server;

import io.semroute.config.RouterConfig;
import io.semroute.extproc.decision.DecisionEngines;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The ext_proc side wired together: decision engines → handlers → gRPC server with health. Used
 * by {@link RouterService} ({@code serve}) and directly by the end-to-end tests, so both run the
 * same assembly.
 */
public final class Router implements AutoCloseable {
  private final RouterServer server;

  private Router(RouterServer server) {
    this.server = server;
  }

  /** Starts on a fixed or changing config, compiling its classifier before SERVING. */
  public static Router start(
      InetSocketAddress address,
      Supplier<RouterConfig> config,
      Supplier<RandomGenerator> random,
      RequestListener listener)
      throws IOException {
    return start(address, DecisionEngines.keywordOnly(config), random, listener);
  }

  /**
   * Builds the handlers, starts the gRPC server and only then reports SERVING (the engines are
   * already built: their constructor compiles the classifier for the current config).
   */
  public static Router start(
      InetSocketAddress address,
      DecisionEngines engines,
      Supplier<RandomGenerator> random,
      RequestListener listener)
      throws IOException {
    ExtProcService service =
        new ExtProcService(
            engines::current,
            new RequestHeadersHandler(Clock.systemUTC()),
            new RequestBodyHandler(new EndpointPicker(random)),
            listener);
    RouterServer server = new RouterServer(address, service).start();
    server.markServing();
    return new Router(server);
  }

  public int port() {
    return server.port();
  }

  public boolean isServing() {
    return server.isServing();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    server.close();
  }
}

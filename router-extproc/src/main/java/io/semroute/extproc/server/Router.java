package io.semroute.extproc.server;

import io.semroute.config.RouterConfig;
import io.semroute.extproc.decision.DecisionEngines;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Wires the router together: config supplier → decision engines → handlers → gRPC server. Used by
 * {@code serve} and by the end-to-end tests, so both run the same assembly.
 */
public final class Router implements AutoCloseable {
  private final RouterServer server;

  private Router(RouterServer server) {
    this.server = server;
  }

  /**
   * Builds everything (which compiles the classifier for the current config), starts the gRPC
   * server and only then reports SERVING.
   */
  public static Router start(
      InetSocketAddress address,
      Supplier<RouterConfig> config,
      Supplier<RandomGenerator> random,
      RequestListener listener)
      throws IOException {
    DecisionEngines engines = DecisionEngines.keywordOnly(config);
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

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    server.close();
  }
}

package io.semroute.extproc.server;

import io.semroute.config.ConfigLoader;
import io.semroute.config.ConfigWatcher;
import io.semroute.config.Listeners;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.api.HttpApiServer;
import io.semroute.extproc.decision.DecisionEngines;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code serve} runs: config (watched and hot-reloaded) → decision engines → ext_proc gRPC
 * server with health → HTTP API. Start order matters: everything is built and listening before
 * health turns SERVING; close drains in the reverse order.
 */
public final class RouterService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouterService.class);

  private final ConfigWatcher watcher;
  private final Router grpc;
  private final HttpApiServer api;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RouterService(ConfigWatcher watcher, Router grpc, HttpApiServer api) {
    this.watcher = watcher;
    this.grpc = grpc;
    this.api = api;
  }

  /**
   * Loads {@code configFile} (a {@link io.semroute.config.ConfigException} names file, line and
   * key on error), starts watching it, and starts both servers on the config's ports.
   */
  public static RouterService start(Path configFile, RequestListener listener) throws IOException {
    RouterConfig initial = ConfigLoader.load(configFile);
    Listeners ports = initial.listeners();
    DecisionEngines[] engines = new DecisionEngines[1];
    ConfigWatcher watcher =
        ConfigWatcher.start(configFile, initial, reloaded -> onReload(ports, reloaded, engines[0]));
    Router grpc = null;
    HttpApiServer api = null;
    try {
      // Built eagerly: compiling the keyword rules (later: loading models) happens before SERVING.
      engines[0] = DecisionEngines.keywordOnly(watcher::current);
      grpc = Router.start(new InetSocketAddress(ports.grpcPort()), engines[0],
          ThreadLocalRandom::current, listener);
      api = new HttpApiServer(new InetSocketAddress(ports.httpPort()), watcher::current,
          grpc::isServing).start();
      log.info("semantic router ready: ext_proc on :{}, HTTP API on :{}, config {} ({} models, {} categories)",
          grpc.port(), api.port(), configFile, initial.models().size(), initial.categories().size());
      return new RouterService(watcher, grpc, api);
    } catch (IOException | RuntimeException e) {
      if (api != null) {
        api.close();
      }
      if (grpc != null) {
        grpc.close();
      }
      watcher.close();
      throw e;
    }
  }

  private static void onReload(Listeners ports, RouterConfig reloaded, DecisionEngines engines) {
    if (!reloaded.listeners().equals(ports)) {
      log.warn("config reload changed listener ports to {}; ports change only on restart (still {})",
          reloaded.listeners(), ports);
    }
    if (engines != null) {
      // Compile the new rules now, on the watcher thread, not on the first request.
      engines.current();
    }
    log.info("config reloaded from {}: {} models, {} categories, default {}",
        reloaded.source(), reloaded.models().size(), reloaded.categories().size(), reloaded.defaultModel());
  }

  public int grpcPort() {
    return grpc.port();
  }

  public int httpPort() {
    return api.port();
  }

  public RouterConfig currentConfig() {
    return watcher.current();
  }

  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  /** Health NOT_SERVING, stop taking streams, drain open ones, then stop the API and watcher. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.info("shutting down: draining open ext_proc streams");
    grpc.close();
    api.close();
    try {
      watcher.close();
    } catch (IOException e) {
      log.warn("closing the config watcher failed", e);
    }
  }
}

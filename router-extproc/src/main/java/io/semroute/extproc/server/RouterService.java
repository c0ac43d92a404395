package io.semroute.extproc.server;

import io.semroute.config.ConfigLoader;
import io.semroute.config.ConfigWatcher;
import io.semroute.config.Listeners;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.api.HttpApiServer;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.extproc.decision.DecisionEngines;
import io.semroute.extproc.decision.EngineBuilder;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.classifiers.RequiredClassifiers;
import java.util.concurrent.atomic.AtomicReference;
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
  private final ClassifierCache models;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RouterService(ConfigWatcher watcher, Router grpc, HttpApiServer api, ClassifierCache models) {
    this.watcher = watcher;
    this.grpc = grpc;
    this.api = api;
    this.models = models;
  }

  /**
   * Loads {@code configFile} (a {@link io.semroute.config.ConfigException} names file, line and
   * key on error), opens the models it names, starts watching it, and starts both servers on the
   * config's ports. gRPC health turns SERVING only after all of that.
   */
  public static RouterService start(Path configFile, RequestListener listener) throws IOException {
    RouterConfig initial = ConfigLoader.load(configFile);
    Listeners ports = initial.listeners();
    ClassifierCache models = new ClassifierCache(new ClassifierOpener(BatchPolicy.defaults()));
    AtomicReference<ConfigWatcher> watcherRef = new AtomicReference<>();
    ConfigWatcher watcher = null;
    Router grpc = null;
    HttpApiServer api = null;
    try {
      // Models load here, before the gRPC server exists (so before SERVING). A model that does
      // not fit the config fails start-up with file:line:key.
      DecisionEngines engines = DecisionEngines.of(
          () -> watcherRef.get() == null ? initial : watcherRef.get().current(),
          new EngineBuilder(models));
      watcher = ConfigWatcher.start(configFile, initial, engines::prepare,
          reloaded -> onReload(ports, reloaded, engines, models));
      watcherRef.set(watcher);
      grpc = Router.start(new InetSocketAddress(ports.grpcPort()), engines,
          ThreadLocalRandom::current, listener);
      api = new HttpApiServer(new InetSocketAddress(ports.httpPort()), watcher::current,
          grpc::isServing).start();
      log.info("semantic router ready: ext_proc on :{}, HTTP API on :{}, config {} ({} models, {} categories, classifier models: {})",
          grpc.port(), api.port(), configFile, initial.models().size(), initial.categories().size(),
          models.keys().isEmpty() ? "none (keyword rules)" : models.keys());
      return new RouterService(watcher, grpc, api, models);
    } catch (IOException | RuntimeException e) {
      if (api != null) {
        api.close();
      }
      if (grpc != null) {
        grpc.close();
      }
      if (watcher != null) {
        watcher.close();
      }
      models.close();
      throw e;
    }
  }

  private static void onReload(
      Listeners ports, RouterConfig reloaded, DecisionEngines engines, ClassifierCache models) {
    if (!reloaded.listeners().equals(ports)) {
      log.warn("config reload changed listener ports to {}; ports change only on restart (still {})",
          reloaded.listeners(), ports);
    }
    // Swap to the engine prepared (models opened) before the config became current, then let go
    // of models the new config no longer names. Unchanged model paths were reused, not reloaded.
    engines.current();
    models.retainOnly(RequiredClassifiers.of(reloaded));
    log.info("config reloaded from {}: {} models, {} categories, default {}",
        reloaded.source(), reloaded.models().size(), reloaded.categories().size(), reloaded.defaultModel());
  }

  /** The models currently open (for tests and diagnostics). */
  public ClassifierCache models() {
    return models;
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
    models.close();
  }
}

package io.semroute.extproc.server;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.semroute.config.ConfigLoader;
import io.semroute.config.ConfigWatcher;
import io.semroute.config.Listeners;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.api.HttpApiServer;
import io.semroute.extproc.cache.CacheStores;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.classifiers.RequiredClassifiers;
import io.semroute.extproc.pipeline.EndpointPicker;
import io.semroute.extproc.pipeline.RequestListener;
import io.semroute.extproc.pipeline.RequestPipeline;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.pipeline.SnapshotBuilder;
import io.semroute.extproc.processor.Processors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router as a running server: the gRPC server (ext_proc plus {@code grpc.health.v1.Health}),
 * the HTTP API, and for {@code serve} the config watcher and the open classifiers.
 *
 * <p>Start order matters: config, classifiers and the first {@link RouterSnapshots snapshot} are
 * built and both servers listen before health turns SERVING, so Envoy's health checks never send
 * traffic to a router still warming up. {@link #close()} goes the other way: NOT_SERVING, stop
 * taking streams, drain open ones, then stop the API, the watcher and the classifiers.
 */
public final class RouterServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RouterServer.class);

  /**
   * Envoy BUFFERED bodies arrive in one gRPC message; grpc-java's 4 MiB default would reject
   * long prompts. Sized above the 50 MiB Envoy buffer limit in deploy/envoy/envoy.yaml plus
   * protobuf framing.
   */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

  private final HealthStatusManager health = new HealthStatusManager();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Server grpc;
  private final Supplier<RouterConfig> config;
  private volatile boolean serving;
  // Present only when started from a config file (serve).
  private HttpApiServer api;
  private ConfigWatcher watcher;
  private ClassifierCache classifiers;
  private CacheStores cacheStores;

  private RouterServer(InetSocketAddress address, RouterSnapshots snapshots,
      Supplier<RandomGenerator> random, RequestListener listener) {
    this.config = () -> snapshots.current().config();
    health.setStatus(ExtProcService.SERVICE_NAME, ServingStatus.NOT_SERVING);
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    ExtProcService service = new ExtProcService(snapshots::current, new Processors(
        RequestPipeline.standard(new EndpointPicker(random), listener), listener, Clock.systemUTC()));
    this.grpc =
        NettyServerBuilder.forAddress(address)
            .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
            // Envoy keeps long-lived HTTP/2 connections and may ping them.
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .addService(service)
            .addService(health.getHealthService())
            .build();
  }

  /**
   * The ext_proc gRPC server alone on ready-built snapshots (a fixed or changing config; the
   * end-to-end tests): no HTTP API, no watcher. The caller owns any classifiers the snapshots use.
   */
  public static RouterServer start(InetSocketAddress address, RouterSnapshots snapshots,
      Supplier<RandomGenerator> random, RequestListener listener) throws IOException {
    RouterServer server = new RouterServer(address, snapshots, random, listener);
    server.grpc.start();
    server.markServing();
    return server;
  }

  /**
   * What {@code serve} runs. Loads {@code configFile} (a {@link io.semroute.config.ConfigException}
   * names file, line and key on error), opens the classifiers it names, starts watching it, and
   * starts both servers on the config's ports. gRPC health turns SERVING only after all of that.
   */
  public static RouterServer start(Path configFile, RequestListener listener) throws IOException {
    RouterConfig initial = ConfigLoader.load(configFile);
    Listeners ports = initial.listeners();
    ClassifierCache classifiers = new ClassifierCache(ClassifierOpener.withDefaultBatching());
    CacheStores cacheStores = new CacheStores();
    AtomicReference<ConfigWatcher> watcherRef = new AtomicReference<>();
    RouterServer server = null;
    try {
      // Classifiers load here, before the gRPC server exists (so before SERVING). One that does
      // not fit the config fails start-up with file:line:key.
      RouterSnapshots snapshots = RouterSnapshots.of(
          () -> watcherRef.get() == null ? initial : watcherRef.get().current(),
          new SnapshotBuilder(classifiers, cacheStores));
      server = new RouterServer(new InetSocketAddress(ports.grpcPort()), snapshots,
          ThreadLocalRandom::current, listener);
      server.classifiers = classifiers;
      server.cacheStores = cacheStores;
      server.watcher = ConfigWatcher.start(configFile, initial, snapshots::prepare,
          reloaded -> onReload(ports, reloaded, snapshots, classifiers, cacheStores));
      watcherRef.set(server.watcher);
      server.grpc.start();
      server.api = new HttpApiServer(new InetSocketAddress(ports.httpPort()), server.watcher::current,
          server::isServing).start();
      server.markServing();
      log.info("semantic router ready: ext_proc on :{}, HTTP API on :{}, config {} ({} models, {} categories, classifiers: {})",
          server.grpcPort(), server.httpPort(), configFile, initial.models().size(),
          initial.categories().size(),
          classifiers.keys().isEmpty() ? "none (keyword rules)" : classifiers.keys());
      return server;
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      } else {
        classifiers.close();
        cacheStores.close();
      }
      throw e;
    }
  }

  private static void onReload(Listeners ports, RouterConfig reloaded, RouterSnapshots snapshots,
      ClassifierCache classifiers, CacheStores cacheStores) {
    if (!reloaded.listeners().equals(ports)) {
      log.warn("config reload changed listener ports to {}; ports change only on restart (still {})",
          reloaded.listeners(), ports);
    }
    // Swap to the snapshot prepared (classifiers opened) before the config became current, then
    // let go of classifiers the new config no longer names. Unchanged paths were reused.
    snapshots.current();
    classifiers.retainOnly(RequiredClassifiers.of(reloaded));
    cacheStores.retainOnly(reloaded.semanticCache());
    log.info("config reloaded from {}: {} models, {} categories, default {}",
        reloaded.source(), reloaded.models().size(), reloaded.categories().size(), reloaded.defaultModel());
  }

  private void markServing() {
    serving = true;
    health.setStatus(ExtProcService.SERVICE_NAME, ServingStatus.SERVING);
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
  }

  public boolean isServing() {
    return serving;
  }

  /** The bound ext_proc port (useful when started on port 0). */
  public int grpcPort() {
    return grpc.getPort();
  }

  /** The HTTP API's port; only when started from a config file. */
  public int httpPort() {
    if (api == null) {
      throw new IllegalStateException("no HTTP API: started without a config file");
    }
    return api.port();
  }

  /** The config new streams are served with. */
  public RouterConfig currentConfig() {
    return config.get();
  }

  /** The classifiers open for {@code serve} (for tests and diagnostics); null otherwise. */
  public ClassifierCache classifiers() {
    return classifiers;
  }

  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  /** NOT_SERVING, stop taking streams, drain open ones; then the API, watcher, classifiers. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.info("shutting down: draining open ext_proc streams");
    serving = false;
    health.enterTerminalState();
    grpc.shutdown();
    try {
      if (!grpc.awaitTermination(10, TimeUnit.SECONDS)) {
        grpc.shutdownNow();
        grpc.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      grpc.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (api != null) {
      api.close();
    }
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        log.warn("closing the config watcher failed", e);
      }
    }
    if (classifiers != null) {
      classifiers.close();
    }
    if (cacheStores != null) {
      cacheStores.close();
    }
  }
}

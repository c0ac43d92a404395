package io.semroute.extproc.server;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.services.HealthStatusManager;
import io.semroute.config.ConfigException;
import io.semroute.config.ConfigLoader;
import io.semroute.config.ConfigWatcher;
import io.semroute.config.Listeners;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.api.HttpApiServer;
import io.semroute.extproc.api.HttpApiServer.State;
import io.semroute.extproc.cache.CacheStores;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.classifiers.RequiredClassifiers;
import io.semroute.extproc.metrics.MetricsServer;
import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.pipeline.Admission;
import io.semroute.extproc.pipeline.EndpointPicker;
import io.semroute.extproc.pipeline.RequestListener;
import io.semroute.extproc.pipeline.RequestPipeline;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.pipeline.Tracing;
import io.semroute.extproc.processor.Processors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
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
   * Envoy BUFFERED bodies arrive in one gRPC message; grpc-java's 4 MiB default would reject long
   * prompts. Sized above the 50 MiB Envoy buffer limit in deploy/envoy/envoy.yaml plus protobuf
   * framing.
   */
  public static final int MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

  /** How long open streams may take to finish after SIGTERM before they are cut. */
  public static final Duration DEFAULT_DRAIN_DEADLINE = Duration.ofSeconds(10);

  /**
   * What {@code serve} can be given beside the config file (tests shorten the periods).
   *
   * @param drainDeadline how long open streams may run on after {@link #close()} starts
   * @param tlsReload how often the {@code listeners.grpc_tls} files are read again
   * @param env where {@code listeners.api_token_env} is looked up
   */
  public record Options(
      Duration drainDeadline,
      Duration tlsReload,
      Function<String, String> env,
      Runnable beforeLoad) {
    public static final Options DEFAULTS =
        new Options(DEFAULT_DRAIN_DEADLINE, GrpcTls.DEFAULT_RELOAD, System::getenv, () -> {});
  }

  private final HealthStatusManager health = new HealthStatusManager();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Server grpc;
  private final Supplier<RouterConfig> config;
  private final Duration drainDeadline;
  private final AtomicReference<State> state;
  private final ThreadPoolExecutor workers;
  // Present only when started from a config file (serve).
  private HttpApiServer api;
  private ConfigWatcher watcher;
  private ClassifierCache classifiers;
  private CacheStores cacheStores;
  private RouterMetrics metrics;
  private MetricsServer metricsServer;
  private GrpcTls tls;
  private TracingSetup tracing;

  private RouterServer(
      InetSocketAddress address,
      RouterSnapshots snapshots,
      Supplier<RandomGenerator> random,
      RequestListener listener) {
    this(
        address,
        snapshots,
        random,
        listener,
        null,
        Tracing.OFF,
        null,
        DEFAULT_DRAIN_DEADLINE,
        new AtomicReference<>(State.STARTING));
  }

  private RouterServer(
      InetSocketAddress address,
      RouterSnapshots snapshots,
      Supplier<RandomGenerator> random,
      RequestListener listener,
      RouterMetrics metrics,
      Tracing tracing,
      SslContext tls,
      Duration drainDeadline,
      AtomicReference<State> state) {
    this.state = state;
    this.config = () -> snapshots.current().config();
    this.metrics = metrics;
    this.drainDeadline = drainDeadline;
    health.setStatus(ExtProcService.SERVICE_NAME, ServingStatus.NOT_SERVING);
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    Listeners limits = snapshots.current().config().listeners();
    ExtProcService service =
        new ExtProcService(
            snapshots::current,
            new Processors(
                RequestPipeline.standard(new EndpointPicker(random), listener, metrics, tracing),
                listener,
                Clock.systemUTC(),
                Admission.of(limits)));
    this.workers = workers(limits.maxInFlight());
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address).executor(workers);
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.grpc =
        builder
            .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
            // Envoy keeps long-lived HTTP/2 connections and may ping them.
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .addService(service)
            .addService(health.getHealthService())
            .build();
  }

  /**
   * The threads that run ext_proc messages: bounded (grpc's default pool grows a thread per blocked
   * call). At most {@code maxInFlight} of them wait for classifiers (Admission); the rest keep
   * serving the messages that never wait (headers, response bodies, overloaded requests). Idle
   * threads are reaped after a minute.
   */
  private static ThreadPoolExecutor workers(int maxInFlight) {
    int size = maxInFlight + Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            size,
            size,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "ext-proc-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * The ext_proc gRPC server alone on ready-built snapshots (a fixed or changing config; the
   * end-to-end tests): no HTTP API, no watcher. The caller owns any classifiers the snapshots use.
   */
  public static RouterServer start(
      InetSocketAddress address,
      RouterSnapshots snapshots,
      Supplier<RandomGenerator> random,
      RequestListener listener)
      throws IOException {
    RouterServer server = new RouterServer(address, snapshots, random, listener);
    server.grpc.start();
    server.markServing();
    return server;
  }

  /**
   * As {@link #start(InetSocketAddress, RouterSnapshots, Supplier, RequestListener)}, with metrics
   * (no listener: read them from {@code metrics}) and tracing.
   */
  public static RouterServer start(
      InetSocketAddress address,
      RouterSnapshots snapshots,
      Supplier<RandomGenerator> random,
      RequestListener listener,
      RouterMetrics metrics,
      Tracing tracing)
      throws IOException {
    RouterServer server =
        new RouterServer(
            address,
            snapshots,
            random,
            listener,
            metrics,
            tracing,
            null,
            DEFAULT_DRAIN_DEADLINE,
            new AtomicReference<>(State.STARTING));
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
    return start(configFile, listener, Options.DEFAULTS);
  }

  /** As {@link #start(Path, RequestListener)}, with drain deadline, TLS reload period and env. */
  public static RouterServer start(Path configFile, RequestListener listener, Options options)
      throws IOException {
    RouterConfig initial = ConfigLoader.load(configFile);
    Listeners ports = initial.listeners();
    String token = null;
    String tokenEnv = initial.operations().apiTokenEnv();
    if (tokenEnv != null) {
      token = options.env().apply(tokenEnv);
      if (token == null || token.isBlank()) {
        throw new ConfigException(
            initial.source(),
            0,
            "listeners.api_token_env",
            "the environment variable "
                + tokenEnv
                + " is not set (or empty); the HTTP API would be open");
      }
    }
    RouterMetrics metrics = new RouterMetrics();
    ClassifierCache classifiers = new ClassifierCache(ClassifierOpener.withDefaultBatching());
    CacheStores cacheStores = new CacheStores();
    AtomicReference<ConfigWatcher> watcherRef = new AtomicReference<>();
    AtomicReference<RouterSnapshots> snapshotsRef = new AtomicReference<>();
    AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    RouterServer server = null;
    GrpcTls tls = null;
    HttpApiServer api = null;
    TracingSetup tracing = TracingSetup.of(initial.operations().tracing());
    try {
      // The API listens first: /health answers while models load, /ready says 503 until SERVING.
      api =
          new HttpApiServer(
                  new InetSocketAddress(ports.httpPort()),
                  () -> snapshotsRef.get() == null ? null : snapshotsRef.get().current(),
                  state::get,
                  classifiers,
                  token)
              .start();
      options.beforeLoad().run();
      // Classifiers load here, before the gRPC server exists (so before SERVING). One that does
      // not fit the config fails start-up with file:line:key.
      RouterSnapshots snapshots =
          RouterSnapshots.of(
              () -> watcherRef.get() == null ? initial : watcherRef.get().current(),
              new SnapshotBuilder(classifiers, cacheStores, metrics));
      SslContext credentials = null;
      if (initial.operations().grpcTls() != null) {
        tls = new GrpcTls(initial.operations().grpcTls(), options.tlsReload());
        credentials = tls.sslContext();
      }
      server =
          new RouterServer(
              new InetSocketAddress(ports.grpcPort()),
              snapshots,
              ThreadLocalRandom::current,
              listener,
              metrics,
              tracing.tracing(),
              credentials,
              options.drainDeadline(),
              state);
      server.api = api;
      server.tls = tls;
      server.tracing = tracing;
      server.classifiers = classifiers;
      server.cacheStores = cacheStores;
      server.metricsServer = MetricsServer.start(ports.metricsPort(), metrics);
      server.watcher =
          ConfigWatcher.start(
              configFile,
              initial,
              snapshots::prepare,
              reloaded -> onReload(ports, reloaded, snapshots, classifiers, cacheStores, metrics));
      server.watcher.onFailure(e -> metrics.configReload(false));
      watcherRef.set(server.watcher);
      snapshotsRef.set(snapshots);
      server.grpc.start();
      server.markServing();
      log.info(
          "semantic router ready: ext_proc on :{}{}, HTTP API on :{}{}, metrics on :{}, config {} ({} models, {} categories, classifiers: {})",
          server.grpcPort(),
          tls == null
              ? ""
              : " (TLS"
                  + (initial.operations().grpcTls().clientCaFile() != null
                      ? ", client certificates required)"
                      : ")"),
          server.httpPort(),
          token == null ? "" : " (bearer token)",
          server.metricsPort(),
          configFile,
          initial.models().size(),
          initial.categories().size(),
          classifiers.keys().isEmpty() ? "none (keyword rules)" : classifiers.keys());
      return server;
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      } else {
        if (api != null) {
          api.close();
        }
        classifiers.close();
        cacheStores.close();
        tracing.close();
        if (tls != null) {
          tls.close();
        }
      }
      throw e;
    }
  }

  private static void onReload(
      Listeners ports,
      RouterConfig reloaded,
      RouterSnapshots snapshots,
      ClassifierCache classifiers,
      CacheStores cacheStores,
      RouterMetrics metrics) {
    metrics.configReload(true);
    if (!reloaded.listeners().equals(ports)) {
      log.warn(
          "config reload changed listener ports to {}; ports change only on restart (still {})",
          reloaded.listeners(),
          ports);
    }
    // Swap to the snapshot prepared (classifiers opened) before the config became current, then
    // let go of classifiers the new config no longer names. Unchanged paths were reused.
    snapshots.current();
    classifiers.retainOnly(RequiredClassifiers.of(reloaded));
    cacheStores.retainOnly(reloaded.semanticCache());
    log.info(
        "config reloaded from {}: {} models, {} categories, default {}",
        reloaded.source(),
        reloaded.models().size(),
        reloaded.categories().size(),
        reloaded.defaultModel());
  }

  private void markServing() {
    state.set(State.READY);
    health.setStatus(ExtProcService.SERVICE_NAME, ServingStatus.SERVING);
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
  }

  public boolean isServing() {
    return state.get() == State.READY;
  }

  /** STARTING, READY, or DRAINING once {@link #close()} began. */
  public State state() {
    return state.get();
  }

  /** The metrics port; only when started from a config file. */
  public int metricsPort() {
    if (metricsServer == null) {
      throw new IllegalStateException("no metrics listener: started without a config file");
    }
    return metricsServer.port();
  }

  /** The router's metrics; null when started without a config file and without metrics. */
  public RouterMetrics metrics() {
    return metrics;
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

  /**
   * Graceful stop (SIGTERM): readiness ({@code /ready} 503) and gRPC health go NOT_SERVING first,
   * so Envoy and Kubernetes stop sending; then no new streams are taken, open streams get up to the
   * drain deadline to finish (each on the config it started with) and are cut after it; then the
   * API, metrics, watcher, classifiers and TLS reloader stop.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.info(
        "shutting down: NOT_SERVING, draining open ext_proc streams (up to {} s)",
        drainDeadline.toSeconds());
    state.set(State.DRAINING);
    health.enterTerminalState();
    grpc.shutdown();
    try {
      if (!grpc.awaitTermination(drainDeadline.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("streams still open after the drain deadline; cutting them");
        grpc.shutdownNow();
        grpc.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      grpc.shutdownNow();
      Thread.currentThread().interrupt();
    }
    workers.shutdown();
    if (api != null) {
      api.close();
    }
    if (metricsServer != null) {
      metricsServer.close();
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
    if (tracing != null) {
      tracing.close();
    }
    if (tls != null) {
      tls.close();
    }
    log.info("semantic router stopped");
  }
}

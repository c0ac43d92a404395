package io.semroute.extproc.server;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
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
import io.semroute.extproc.limits.LimitStores;
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
 * traffic to a router still warming up. Each part is registered with one {@link Closer} as it
 * opens; {@link #close()} (and a start-up that fails half-way) closes them the other way round:
 * NOT_SERVING, stop taking streams, drain open ones, then the watcher, the API and the classifiers.
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
  private final RouterSnapshots snapshots;
  private final Duration drainDeadline;
  private final AtomicReference<State> state;
  private final ThreadPoolExecutor workers;
  private final RouterMetrics metrics;
  private final Serve serve;
  private final Closer opened;

  /**
   * What {@code serve} runs beside the gRPC server (its ports and classifiers are asked for by
   * tests and the log line); {@link #NONE} for a server on ready-built snapshots.
   */
  private record Serve(
      HttpApiServer api, MetricsServer metricsServer, ClassifierCache classifiers) {
    static final Serve NONE = new Serve(null, null, null);
  }

  /**
   * @param listeners the config's {@code listeners:} as read once at start (ports and limits do not
   *     change on reload)
   * @param opened what was opened before the server; {@link #close()} closes it after the streams
   */
  private RouterServer(
      InetSocketAddress address,
      SslContext tls,
      Listeners listeners,
      RouterSnapshots snapshots,
      RequestPipeline pipeline,
      RequestListener listener,
      RouterMetrics metrics,
      Duration drainDeadline,
      AtomicReference<State> state,
      Serve serve,
      Closer opened) {
    this.snapshots = snapshots;
    this.metrics = metrics;
    this.drainDeadline = drainDeadline;
    this.state = state;
    this.serve = serve;
    this.opened = opened;
    health.setStatus(ExtProcService.SERVICE_NAME, ServingStatus.NOT_SERVING);
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    ExtProcService service =
        new ExtProcService(
            snapshots::current,
            new Processors(pipeline, listener, Clock.systemUTC(), Admission.of(listeners)),
            metrics == null ? null : metrics.fleet());
    this.workers = workers(listeners.maxInFlight());
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
            .addService(ServerInterceptors.intercept(service, new FilterPhase()))
            .addService(health.getHealthService())
            .build();
    // Opened last, so closed first: streams drain while everything they use is still open.
    opened.add(this::stopServing);
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
    return start(address, snapshots, random, listener, null, Tracing.OFF);
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
    Closer opened = new Closer();
    try {
      RouterServer server =
          new RouterServer(
              address,
              null,
              snapshots.current().config().listeners(),
              snapshots,
              RequestPipeline.standard(new EndpointPicker(random), listener, metrics, tracing),
              listener,
              metrics,
              DEFAULT_DRAIN_DEADLINE,
              new AtomicReference<>(State.STARTING),
              Serve.NONE,
              opened);
      server.grpc.start();
      server.markServing();
      return server;
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  /**
   * What {@code serve} runs. Loads {@code configFile} (a {@link ConfigException} names file, line
   * and key on error), opens the classifiers it names, starts watching it, and starts both servers
   * on the config's ports. gRPC health turns SERVING only after all of that.
   */
  public static RouterServer start(Path configFile, RequestListener listener) throws IOException {
    return start(configFile, listener, Options.DEFAULTS);
  }

  /** As {@link #start(Path, RequestListener)}, with drain deadline, TLS reload period and env. */
  public static RouterServer start(Path configFile, RequestListener listener, Options options)
      throws IOException {
    RouterConfig initial = ConfigLoader.load(configFile);
    Listeners listeners = initial.listeners();
    String token = apiToken(initial, options.env());
    RouterMetrics metrics = new RouterMetrics();
    RouterSnapshots snapshots = RouterSnapshots.empty();
    AtomicReference<State> state = new AtomicReference<>(State.STARTING);
    Closer opened = new Closer();
    try {
      TracingSetup tracing = opened.add(TracingSetup.of(initial.operations().tracing()));
      ClassifierCache classifiers =
          opened.add(new ClassifierCache(ClassifierOpener.withDefaultBatching()));
      CacheStores cacheStores = opened.add(new CacheStores());
      LimitStores limitStores =
          opened.add(
              new LimitStores(
                  System::currentTimeMillis,
                  metrics.fleet().breakerListener(),
                  metrics.fleet()::storeFailure));
      // The API listens first: /health answers while models load, /ready says 503 until SERVING.
      HttpApiServer api =
          opened.add(
              new HttpApiServer(
                      new InetSocketAddress(listeners.httpPort()),
                      snapshots::current,
                      state::get,
                      classifiers,
                      token)
                  .start());
      options.beforeLoad().run();
      // Classifiers load here, before the gRPC server exists (so before SERVING). One that does
      // not fit the config fails start-up with file:line:key.
      SnapshotBuilder builder = new SnapshotBuilder(classifiers, cacheStores, metrics, limitStores);
      snapshots.swap(builder.apply(initial));
      GrpcTls tls =
          initial.operations().grpcTls() == null
              ? null
              : opened.add(new GrpcTls(initial.operations().grpcTls(), options.tlsReload()));
      MetricsServer metricsServer =
          opened.add(MetricsServer.start(listeners.metricsPort(), metrics));
      ConfigWatcher watcher =
          opened.add(
              ConfigWatcher.startApplying(
                  configFile,
                  initial,
                  new ConfigReload(
                      listeners,
                      builder,
                      snapshots,
                      classifiers,
                      cacheStores,
                      metrics,
                      limitStores)));
      watcher.onFailure(e -> metrics.configReload(false));
      RouterServer server =
          new RouterServer(
              new InetSocketAddress(listeners.grpcPort()),
              tls == null ? null : tls.sslContext(),
              listeners,
              snapshots,
              RequestPipeline.standard(
                  new EndpointPicker(ThreadLocalRandom::current),
                  listener,
                  metrics,
                  tracing.tracing()),
              listener,
              metrics,
              options.drainDeadline(),
              state,
              new Serve(api, metricsServer, classifiers),
              opened);
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
      opened.close();
      throw e;
    }
  }

  /** The HTTP API's bearer token from {@code listeners.api_token_env}, or null for an open API. */
  private static String apiToken(RouterConfig config, Function<String, String> env) {
    String tokenEnv = config.operations().apiTokenEnv();
    if (tokenEnv == null) {
      return null;
    }
    String token = env.apply(tokenEnv);
    if (token == null || token.isBlank()) {
      throw new ConfigException(
          config.source(),
          0,
          "listeners.api_token_env",
          "the environment variable "
              + tokenEnv
              + " is not set (or empty); the HTTP API would be open");
    }
    return token;
  }

  private void markServing() {
    state.set(State.READY);
    health.setStatus(ExtProcService.SERVICE_NAME, ServingStatus.SERVING);
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
  }

  /** STARTING, READY, or DRAINING once {@link #close()} began. */
  public State state() {
    return state.get();
  }

  /** The metrics port; only when started from a config file. */
  public int metricsPort() {
    if (serve.metricsServer() == null) {
      throw new IllegalStateException("no metrics listener: started without a config file");
    }
    return serve.metricsServer().port();
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
    if (serve.api() == null) {
      throw new IllegalStateException("no HTTP API: started without a config file");
    }
    return serve.api().port();
  }

  /** The config new streams are served with. */
  public RouterConfig currentConfig() {
    return snapshots.current().config();
  }

  /** The classifiers open for {@code serve} (for tests and diagnostics); null otherwise. */
  public ClassifierCache classifiers() {
    return serve.classifiers();
  }

  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  /**
   * Graceful stop (SIGTERM): readiness ({@code /ready} 503) and gRPC health go NOT_SERVING first,
   * so Envoy and Kubernetes stop sending; then no new streams are taken, open streams get up to the
   * drain deadline to finish (each on the config it started with) and are cut after it; then what
   * start-up opened closes in reverse order: watcher, metrics, TLS reloader, API, cache backends,
   * classifiers, tracing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    opened.close();
    log.info("semantic router stopped");
  }

  /** NOT_SERVING, no new streams, open ones drained (or cut at the deadline). */
  private void stopServing() {
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
  }
}

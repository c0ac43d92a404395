package io.semroute.extproc.e2e;

import io.semroute.config.RouterConfig;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.emulator.EnvoyEmulator;
import io.semroute.extproc.pipeline.RequestSummary;
import io.semroute.extproc.pipeline.RouterSnapshot;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.server.RouterServer;
import io.semroute.extproc.server.SnapshotBuilder;
import io.semroute.peer.mock.MockVllmServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * client → {@link EnvoyEmulator} (deploy/envoy/envoy.yaml) → real router over gRPC → two real mock
 * vLLM HTTP servers standing in for vllm-qwen:8000 and vllm-llama:8000.
 */
public final class RouterStack implements AutoCloseable {
  public final MockVllmServer qwen;
  public final MockVllmServer llama;
  public final RouterServer router;
  public final EnvoyEmulator envoy;
  public final ConcurrentLinkedQueue<RequestSummary> records = new ConcurrentLinkedQueue<>();

  /** The classifiers this stack opened itself ({@link #withClassifiers}), or null. */
  private ClassifierCache classifiers;

  private final Function<RouterConfig, RouterSnapshot> builder;
  private final RouterSnapshots snapshots;

  /**
   * A stack whose router opens the config's classifiers (models/...) as {@code serve} does, on
   * deploy/envoy/envoy.yaml; closing the stack closes them.
   */
  public static RouterStack withClassifiers(RouterConfig cfg) throws Exception {
    // serve's batching (two workers on two cores, batches of 8), so e2e tests and the soak run what
    // ships.
    ClassifierCache classifiers = new ClassifierCache(ClassifierOpener.withDefaultBatching());
    try {
      RouterStack stack =
          new RouterStack(cfg, EnvoyConfig.load(), new SnapshotBuilder(classifiers));
      stack.classifiers = classifiers;
      return stack;
    } catch (Exception | Error e) {
      classifiers.close();
      throw e;
    }
  }

  public RouterStack(RouterConfig cfg) throws Exception {
    this(cfg, EnvoyConfig.load());
  }

  public RouterStack(RouterConfig cfg, EnvoyConfig envoyConfig) throws Exception {
    this(cfg, envoyConfig, RouterSnapshot::keywordOnly);
  }

  /**
   * @param builder builds the router snapshot of a config (the first one and each {@link #reload}),
   *     e.g. {@code new SnapshotBuilder(classifiers)} for the classifier-backed snapshots {@code
   *     serve} uses
   */
  public RouterStack(
      RouterConfig cfg, EnvoyConfig envoyConfig, Function<RouterConfig, RouterSnapshot> builder)
      throws Exception {
    List<String> qwenModels =
        cfg.backends().stream()
            .filter(b -> b.name().equals("vllm-qwen"))
            .findFirst()
            .orElseThrow()
            .models();
    List<String> llamaModels =
        cfg.backends().stream()
            .filter(b -> b.name().equals("vllm-llama"))
            .findFirst()
            .orElseThrow()
            .models();
    qwen =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-qwen", qwenModels, 8)
            .start();
    llama =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-llama", llamaModels, 8)
            .start();
    this.builder = builder;
    snapshots = RouterSnapshots.of(builder.apply(cfg));
    RandomGenerator seeded = RandomGenerator.of("L64X128MixRandom");
    router =
        RouterServer.start(
            new InetSocketAddress("127.0.0.1", 0), snapshots, () -> seeded, records::add);
    envoy =
        new EnvoyEmulator(
            envoyConfig,
            router.grpcPort(),
            Map.of(
                "vllm-qwen:8000", new InetSocketAddress("127.0.0.1", qwen.port()),
                "vllm-llama:8000", new InetSocketAddress("127.0.0.1", llama.port())));
  }

  /** Serves {@code next} to streams opened from now on, as a hot reload does. */
  public void reload(RouterConfig next) {
    snapshots.swap(builder.apply(next));
  }

  /** The record of a finished request, waiting briefly for the router to close its stream. */
  public RequestSummary recordFor(String requestId) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      for (RequestSummary r : records) {
        if (requestId.equals(r.requestId())) {
          return r;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no request record for " + requestId);
  }

  @Override
  public void close() {
    envoy.close();
    router.close();
    qwen.close();
    llama.close();
    if (classifiers != null) {
      classifiers.close();
    }
  }
}

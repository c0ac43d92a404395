package io.semroute.extproc.e2e;

import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.api.HttpApiServer;
import io.semroute.extproc.cache.SemanticCache;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.decision.DecisionEngine;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.emulator.EnvoyEmulator;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.guard.RequestGuards;
import io.semroute.extproc.limits.LimitStores;
import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.pipeline.RequestSummary;
import io.semroute.extproc.pipeline.RouterSnapshot;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.pipeline.Tracing;
import io.semroute.extproc.server.RouterServer;
import io.semroute.peer.mock.MockVllmServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * client → {@link EnvoyEmulator} → real router (gRPC, with metrics and limits kept in {@link
 * LimitStores} as {@code serve} keeps them) → two mock vLLM servers, and the router's HTTP API; the
 * limits count by a clock the test holds, so windows and cool-downs pass without sleeping.
 */
final class FleetStack implements AutoCloseable {
  static final String QWEN = "qwen3-8b";
  static final String LLAMA = "llama-3.1-8b-instruct";

  /** Two models; math prefers qwen3-8b, then llama; the default is llama. */
  static final String MODELS =
      """
      default_model: llama-3.1-8b-instruct
      models:
        qwen3-8b: {%s}
        llama-3.1-8b-instruct: {}
      backends:
        - {name: vllm-qwen, address: vllm-qwen:8000, models: [qwen3-8b]}
        - {name: vllm-llama, address: vllm-llama:8000, models: [llama-3.1-8b-instruct]}
      categories:
        - name: math
          model_scores:
            - {model: qwen3-8b, score: 1.0}
            - {model: llama-3.1-8b-instruct, score: 0.4}
          keywords:
            - {score: 0.95, words: [derivative, integral]}
      """;

  final MockVllmServer qwen;
  final MockVllmServer llama;
  final RouterMetrics metrics = new RouterMetrics();
  final LimitStores stores;
  final RouterServer router;
  final EnvoyEmulator envoy;
  final HttpApiServer api;
  final ConcurrentLinkedQueue<RequestSummary> records = new ConcurrentLinkedQueue<>();
  private final ClassifierCache classifiers =
      new ClassifierCache(ClassifierOpener.withDefaultBatching());

  /**
   * @param qwenSpec the body of {@code models.qwen3-8b} (e.g. its {@code limits})
   * @param rest more top-level sections ({@code rate_limits:}, {@code resilience:})
   */
  static RouterConfig config(String qwenSpec, String rest) {
    return ConfigLoader.parse(MODELS.formatted(qwenSpec) + rest, Path.of("fleet-test.yaml"));
  }

  FleetStack(RouterConfig cfg, LongSupplier clock) throws Exception {
    qwen =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-qwen", List.of(QWEN), 4)
            .start();
    llama =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-llama", List.of(LLAMA), 4)
            .start();
    stores =
        new LimitStores(clock, metrics.fleet().breakerListener(), metrics.fleet()::storeFailure);
    RouterSnapshots snapshots =
        RouterSnapshots.of(
            new RouterSnapshot(
                cfg,
                DecisionEngine.keywordOnly(cfg),
                RequestGuards.NONE,
                SemanticCache.OFF,
                stores.limitsFor(cfg)));
    RandomGenerator seeded = RandomGenerator.of("L64X128MixRandom");
    router =
        RouterServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            snapshots,
            () -> seeded,
            records::add,
            metrics,
            Tracing.OFF);
    envoy =
        new EnvoyEmulator(
            EnvoyConfig.load(),
            router.grpcPort(),
            Map.of(
                "vllm-qwen:8000", new InetSocketAddress("127.0.0.1", qwen.port()),
                "vllm-llama:8000", new InetSocketAddress("127.0.0.1", llama.port())));
    api =
        new HttpApiServer(
                new InetSocketAddress("127.0.0.1", 0),
                snapshots::current,
                () -> HttpApiServer.State.READY,
                classifiers,
                null)
            .start();
  }

  private final AtomicInteger ids = new AtomicInteger();

  /** The {@code x-request-id} of the last request {@link #ask} sent on this thread. */
  final ThreadLocal<String> lastId = new ThreadLocal<>();

  /** A chat request for {@code model} from {@code tenant} (null: no tenant header). */
  Exchange ask(String model, String question, String tenant, boolean stream) throws Exception {
    String id = "fleet-" + ids.incrementAndGet();
    lastId.set(id);
    ClientRequest r =
        ClientRequest.postJson(
            "/v1/chat/completions",
            "{\"model\":\""
                + model
                + "\",\"stream\":"
                + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + question
                + "\"}]}");
    r = r.withHeader("x-request-id", id);
    return envoy.send(tenant == null ? r : r.withHeader("x-user-id", tenant));
  }

  /** The record of a finished request, waiting briefly for the router to close its stream. */
  RequestSummary recordFor(String requestId) throws InterruptedException {
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

  /** {@code GET /info/models} of the router's API. */
  String modelsInfo() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/info/models"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Override
  public void close() {
    envoy.close();
    router.close();
    api.close();
    stores.close();
    classifiers.close();
    qwen.close();
    llama.close();
  }
}

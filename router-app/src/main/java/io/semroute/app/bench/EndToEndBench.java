package io.semroute.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.semroute.classifier.TorchRuntime;
import io.semroute.config.Category;
import io.semroute.config.ClassifierSettings;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RateLimitRule;
import io.semroute.config.RateLimitSettings;
import io.semroute.config.RouterConfig;
import io.semroute.config.SemanticCacheSettings;
import io.semroute.extproc.cache.CacheStores;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.limits.LimitStores;
import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.pipeline.Tracing;
import io.semroute.extproc.server.RouterServer;
import io.semroute.extproc.server.SnapshotBuilder;
import io.semroute.gateway.Gateway;
import io.semroute.tools.bench.LatencyStats;
import io.semroute.tools.bench.MachineInfo;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The end-to-end benchmark behind {@code router.jar bench-e2e}: the router's ext_proc service
 * started in this process on a free port with a real config, driven over real gRPC by {@link
 * ExtProcClient} playing Envoy (deploy/envoy/envoy.yaml's processing mode), by N closed-loop
 * callers per load level. Per level: requests per second, latency of the whole Envoy exchange (p50,
 * p99), errors, requests the router answered itself, and the process's resident memory after the
 * level. Variants in one run: keyword rules only (no models), the config with {@code model: auto},
 * with an explicit model, and {@code auto} with long prompts. Prints Markdown.
 */
public final class EndToEndBench {

  /**
   * The rows of a run, in the order they run (models off first: its RSS is not inflated by models).
   */
  public enum Variant {
    OFF,
    AUTO,
    EXPLICIT,
    LONG
  }

  /** How the decision log ({@code io.semroute.decision}, one JSON line per request) is handled. */
  public enum DecisionLog {
    DISCARD,
    STDOUT,
    OFF
  }

  /**
   * What to run; see {@link E2eBenchCommand} for each option.
   *
   * @param modelsOffConfig config of the "models off" variant, or null to derive it from {@code
   *     config}
   */
  public record Settings(
      Path config,
      Path modelsOffConfig,
      String explicitModel,
      Set<Variant> variants,
      List<Integer> concurrency,
      List<Integer> longConcurrency,
      Duration warmup,
      Duration window,
      Path dataDir,
      int shortPrompts,
      int longPrompts,
      int longTokens,
      long seed,
      boolean cacheOff,
      DecisionLog decisionLog,
      Duration messageTimeout,
      RateLimitSettings rateLimits) {
    public Settings {
      rateLimits = rateLimits == null ? RateLimitSettings.OFF : rateLimits;
      variants = variants.isEmpty() ? EnumSet.noneOf(Variant.class) : EnumSet.copyOf(variants);
      concurrency = List.copyOf(concurrency);
      longConcurrency = List.copyOf(longConcurrency);
    }
  }

  /** The processing mode of deploy/envoy/envoy.yaml (what the router is deployed with). */
  static final ProcessingMode ENVOY_MODE = Gateway.ENVOY_YAML_MODE;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Settings settings;
  private final PrintWriter out;
  private final List<Row> rows = new ArrayList<>();
  private final Set<String> errorSamples = new LinkedHashSet<>();

  public EndToEndBench(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  /** One load level of one variant. */
  record Row(
      Variant variant,
      String label,
      int concurrency,
      double meanTokens,
      long completed,
      double requestsPerSecond,
      LatencyStats latency,
      long errors,
      long answeredByRouter,
      double rssMiB) {}

  public void run() throws Exception {
    DecisionLogs.apply(settings.decisionLog());
    out.printf(Locale.ROOT, "# semantic-router end-to-end benchmark (ext_proc over real gRPC)%n%n");
    MachineInfo.describe().forEach(out::println);
    out.printf(
        Locale.ROOT,
        "- RSS of this process at start: %.0f MiB; the router and the client "
            + "run in this one JVM (max heap %d MiB)%n",
        MachineInfo.rssMiB(),
        Runtime.getRuntime().maxMemory() >> 20);
    BenchPrompts prompts =
        BenchPrompts.load(
            settings.dataDir(),
            settings.shortPrompts(),
            settings.longPrompts(),
            settings.longTokens(),
            settings.seed());
    double shortTokens = BenchPrompts.meanTokens(prompts.shortPrompts());
    double longTokens = BenchPrompts.meanTokens(prompts.longPrompts());
    out.printf(
        Locale.ROOT,
        "- prompts: %s; mean %.0f tokens (short), %.0f tokens (long; MiniLM "
            + "tokenizer, special tokens included)%n",
        prompts.source(),
        shortTokens,
        longTokens);
    out.printf(
        Locale.ROOT,
        "- client: plays Envoy with deploy/envoy/envoy.yaml's processing mode "
            + "(request headers, request body BUFFERED, response headers, response body BUFFERED with a "
            + "canned chat.completion JSON), message timeout %d ms; one gRPC channel; closed loop: each "
            + "caller sends its next request when the last one is done; %.1f s warm-up, then %.1f s "
            + "measured per level (requests finishing inside the window count)%n",
        settings.messageTimeout().toMillis(),
        settings.warmup().toMillis() / 1e3,
        settings.window().toMillis() / 1e3);
    out.printf(
        Locale.ROOT,
        "- latency: first message sent to the reply to the last one (the "
            + "router's whole share of one HTTP request); errors: non-200 answers, gRPC errors, "
            + "timeouts, protocol violations; \"router answered\": ImmediateResponse with 200 (a guard's "
            + "refusal as a completion, a cache hit)%n");
    RateLimitSettings rl = settings.rateLimits();
    out.printf(
        Locale.ROOT,
        "- rate limits: %s%n",
        !rl.enabled()
            ? "off"
            : "on, "
                + (rl.backend() == RateLimitSettings.Backend.REDIS
                    ? "Redis at " + rl.redis().address()
                    : "memory")
                + "; one rule with budgets never reached, one tenant for all requests");
    out.printf(
        Locale.ROOT,
        "- decision log: %s%n%n",
        switch (settings.decisionLog()) {
          case DISCARD ->
              "on, written to a discarded stream (its cost counts, the tables stay readable)";
          case STDOUT -> "on, on stdout";
          case OFF -> "off";
        });

    out.printf(
        Locale.ROOT,
        "| variant | prompts | concurrency | req/s | p50 ms | p99 ms | requests "
            + "| errors | router answered | RSS after (MiB) |%n");
    out.printf(Locale.ROOT, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|%n");
    List<String> notes = new ArrayList<>();
    if (settings.variants().contains(Variant.OFF)) {
      RouterConfig off = modelsOffConfig(notes);
      try (Router router = Router.start(withLimits(off), settings.messageTimeout())) {
        notes.add(
            String.format(
                Locale.ROOT,
                "models off: router ready in %.1f s, RSS %.0f MiB idle",
                router.startSeconds,
                MachineInfo.rssMiB()));
        runLevels(
            router,
            Variant.OFF,
            "auto, keyword rules only",
            "auto",
            prompts.shortPrompts(),
            shortTokens,
            settings.concurrency());
        router.limitTimes.describe("models off").ifPresent(notes::add);
      }
    }
    Set<Variant> withModels = EnumSet.of(Variant.AUTO, Variant.EXPLICIT, Variant.LONG);
    withModels.retainAll(settings.variants());
    if (!withModels.isEmpty()) {
      RouterConfig root = rootConfig(notes);
      String explicit = explicitModel(root);
      try (Router router = Router.start(withLimits(root), settings.messageTimeout())) {
        notes.add(
            String.format(
                Locale.ROOT,
                "root config: router ready (classifiers loaded) in %.1f s, "
                    + "RSS %.0f MiB idle; libtorch intra-op threads %d",
                router.startSeconds,
                MachineInfo.rssMiB(),
                TorchRuntime.intraOpThreads()));
        if (withModels.contains(Variant.AUTO)) {
          runLevels(
              router,
              Variant.AUTO,
              "auto",
              "auto",
              prompts.shortPrompts(),
              shortTokens,
              settings.concurrency());
        }
        if (withModels.contains(Variant.EXPLICIT)) {
          runLevels(
              router,
              Variant.EXPLICIT,
              explicit,
              explicit,
              prompts.shortPrompts(),
              shortTokens,
              settings.concurrency());
        }
        if (withModels.contains(Variant.LONG)) {
          runLevels(
              router,
              Variant.LONG,
              String.format(Locale.ROOT, "auto, long (mean %.0f tokens)", longTokens),
              "auto",
              prompts.longPrompts(),
              longTokens,
              settings.longConcurrency());
        }
        router.limitTimes.describe("root config").ifPresent(notes::add);
      }
    }
    out.println();
    notes.forEach(n -> out.println("- " + n));
    if (!errorSamples.isEmpty()) {
      out.println("- first errors seen:");
      errorSamples.forEach(e -> out.println("  - " + e));
    }
    out.printf(
        Locale.ROOT,
        "- peak RSS of the process (VmHWM): %.0f MiB; load average at end: %s%n%n",
        MachineInfo.peakRssMiB(),
        MachineInfo.loadAverage());
    summary();
    out.flush();
  }

  /** The issue's layout: one line per variant, req/s (p50) per concurrency. */
  private void summary() {
    List<Integer> levels = new ArrayList<>();
    Map<String, Map<Integer, Row>> byLabel = new LinkedHashMap<>();
    for (Row r : rows) {
      if (!levels.contains(r.concurrency())) {
        levels.add(r.concurrency());
      }
      byLabel
          .computeIfAbsent(r.variant() + "|" + r.label(), k -> new LinkedHashMap<>())
          .put(r.concurrency(), r);
    }
    levels.sort(Integer::compare);
    StringBuilder head = new StringBuilder("| variant |");
    StringBuilder rule = new StringBuilder("|---|");
    for (int c : levels) {
      head.append(" concurrency ").append(c).append(" |");
      rule.append("---:|");
    }
    out.println(
        "Summary: req/s (p50 ms) per concurrency; RSS after the last level of each variant:");
    out.println();
    out.println(head.append(" RSS MiB |"));
    out.println(rule.append("---:|"));
    for (Map<Integer, Row> byLevel : byLabel.values()) {
      Row first = byLevel.values().iterator().next();
      StringBuilder line = new StringBuilder("| " + describe(first) + " |");
      Row last = first;
      for (int c : levels) {
        Row r = byLevel.get(c);
        if (r == null) {
          line.append(" |");
        } else {
          line.append(
              String.format(
                  Locale.ROOT, " %.1f (%.0f) |", r.requestsPerSecond(), r.latency().p50()));
          last = r;
        }
      }
      out.println(line.append(String.format(Locale.ROOT, " %.0f |", last.rssMiB())));
    }
    out.println();
  }

  private static String describe(Row r) {
    return switch (r.variant()) {
      case OFF -> "keyword rules only, no models";
      case AUTO -> "config, `model: auto`";
      case EXPLICIT -> "config, explicit model (" + r.label() + ")";
      case LONG -> "config, `auto`, ~" + Math.round(r.meanTokens()) + "-token prompts";
    };
  }

  private void runLevels(
      Router router,
      Variant variant,
      String label,
      String model,
      List<String> prompts,
      double meanTokens,
      List<Integer> levels)
      throws Exception {
    List<String> bodies = prompts;
    for (int concurrency : levels) {
      Row row = level(router.client, variant, label, model, bodies, meanTokens, concurrency);
      rows.add(row);
      out.printf(
          Locale.ROOT,
          "| %s | %s | %d | %.1f | %.1f | %.1f | %d | %d | %d | %.0f |%n",
          variant.name().toLowerCase(Locale.ROOT),
          label,
          concurrency,
          row.requestsPerSecond(),
          row.latency().p50(),
          row.latency().p99(),
          row.completed(),
          row.errors(),
          row.answeredByRouter(),
          row.rssMiB());
      out.flush();
    }
  }

  /** Closed loop at one concurrency: warm-up, then the measuring window. */
  private Row level(
      ExtProcClient client,
      Variant variant,
      String label,
      String model,
      List<String> bodies,
      double meanTokens,
      int concurrency)
      throws Exception {
    long start = System.nanoTime();
    long measureFrom = start + settings.warmup().toNanos();
    long stopAt = measureFrom + settings.window().toNanos();
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> crash = new AtomicReference<>();
    long[][] latencies = new long[concurrency][];
    int[] counts = new int[concurrency];
    long[] errors = new long[concurrency];
    long[] answered = new long[concurrency];
    List<Thread> callers = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      int caller = c;
      Thread t =
          new Thread(
              () -> {
                long[] mine = new long[1024];
                int n = 0;
                try {
                  while (System.nanoTime() < stopAt) {
                    int seq = next.getAndIncrement();
                    byte[] body = body(bodies.get(Math.floorMod(seq, bodies.size())), model, seq);
                    long t0 = System.nanoTime();
                    ExtProcClient.Outcome o = client.send(body, model);
                    long t1 = System.nanoTime();
                    if (t1 < measureFrom || t1 > stopAt) {
                      continue;
                    }
                    if (!o.ok()) {
                      errors[caller]++;
                      remember(o.error() != null ? o.error() : "status " + o.status());
                      continue;
                    }
                    if (o.answeredByRouter()) {
                      answered[caller]++;
                    }
                    if (n == mine.length) {
                      mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = t1 - t0;
                  }
                } catch (Throwable e) {
                  crash.compareAndSet(null, e);
                } finally {
                  latencies[caller] = mine;
                  counts[caller] = n;
                }
              },
              "bench-e2e-caller-" + c);
      t.setDaemon(true);
      callers.add(t);
      t.start();
    }
    for (Thread t : callers) {
      t.join();
    }
    if (crash.get() != null) {
      throw new IllegalStateException("a benchmark caller failed", crash.get());
    }
    LatencyStats latency = LatencyStats.ofCallers(latencies, counts);
    double seconds = settings.window().toNanos() / 1e9;
    return new Row(
        variant,
        label,
        concurrency,
        meanTokens,
        latency.samples(),
        latency.samples() / seconds,
        latency,
        Arrays.stream(errors).sum(),
        Arrays.stream(answered).sum(),
        MachineInfo.rssMiB());
  }

  private synchronized void remember(String error) {
    if (errorSamples.size() < 5) {
      errorSamples.add(error);
    }
  }

  /**
   * One request's body. Each request gets a number after its prompt, so no two requests of a run
   * carry the same text: the router remembers recent texts' classifier outputs (and its guards'
   * verdicts), and a benchmark cycling through a few hundred prompts would otherwise measure that
   * memory instead of the classifiers. Real traffic repeats whole prompts rarely (history turns,
   * which it does repeat, are not what this measures).
   */
  private static byte[] body(String prompt, String model, int seq) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    body.putArray("messages")
        .addObject()
        .put("role", "user")
        .put("content", prompt + "\n\n(#" + seq + ")");
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  private RouterConfig rootConfig(List<String> notes) {
    RouterConfig cfg = ConfigLoader.load(settings.config());
    SemanticCacheSettings cache = cfg.semanticCache();
    if (!cache.enabled()) {
      notes.add("semantic cache: off in " + settings.config());
    } else if (settings.cacheOff() || cache.shared() || cache.tenantHeader() == null) {
      cfg = cfg.withSemanticCache(SemanticCacheSettings.OFF);
      notes.add(
          "semantic cache: switched off for the benchmark"
              + (settings.cacheOff()
                  ? " (--cache off)"
                  : " (the config shares one partition between requests without a tenant header)"));
    } else {
      notes.add(
          "semantic cache: as configured, but requests carry no `"
              + cache.tenantHeader()
              + "` header, so the cache neither looks them up nor stores them (no hits)");
    }
    return cfg;
  }

  private RouterConfig modelsOffConfig(List<String> notes) {
    if (settings.modelsOffConfig() != null) {
      notes.add("models off: " + settings.modelsOffConfig());
      return ConfigLoader.load(settings.modelsOffConfig());
    }
    // Derived: the root config without classifier models, guards, signals, decisions, examples
    // and cache; keyword rules and everything else stay.
    RouterConfig cfg = ConfigLoader.load(settings.config());
    List<Category> categories =
        cfg.categories().stream()
            .map(
                c ->
                    new Category(
                        c.name(),
                        c.description(),
                        c.modelScores(),
                        c.systemPrompt(),
                        c.keywords(),
                        List.of()))
            .toList();
    notes.add(
        "models off: derived from "
            + settings.config()
            + " (classifier models, guards, "
            + "signals, decisions, `examples:` and the cache removed; keyword rules kept)");
    return new RouterConfig(
        cfg.source(),
        cfg.listeners(),
        cfg.backends(),
        cfg.models(),
        cfg.reasoningFamilies(),
        categories,
        cfg.defaultModel(),
        cfg.autoModelNames(),
        cfg.routing(),
        ClassifierSettings.DEFAULTS);
  }

  private String explicitModel(RouterConfig cfg) {
    String m = settings.explicitModel();
    if (m == null) {
      return cfg.model("llama-3.1-8b-instruct").isPresent()
          ? "llama-3.1-8b-instruct"
          : cfg.defaultModel();
    }
    if (cfg.model(m).isEmpty()) {
      throw new IllegalArgumentException(
          "--explicit-model " + m + " is not a model of " + settings.config());
    }
    return m;
  }

  /** The config with the benchmark's {@code rate_limits:} ({@code --rate-limits}), if any. */
  private RouterConfig withLimits(RouterConfig cfg) {
    return settings.rateLimits().enabled() ? cfg.withRateLimits(settings.rateLimits()) : cfg;
  }

  /**
   * {@code --rate-limits}: one rule for every tenant with budgets no benchmark reaches, so every
   * request pays for an admission (a request and a token counter) and a settlement, and none is
   * refused. The client sends no tenant header: all requests share one tenant's counters, the most
   * contended case.
   *
   * @param redisAddress {@code host:port}, or null for the memory backend
   */
  public static RateLimitSettings benchRateLimits(String redisAddress) {
    long huge = 1_000_000_000_000L;
    RateLimitRule rule = new RateLimitRule("bench", null, Set.of(), Set.of(), huge, huge, 0);
    if (redisAddress == null) {
      return new RateLimitSettings(
          true,
          RateLimitSettings.DEFAULT_TENANT_HEADER,
          RateLimitSettings.Backend.MEMORY,
          RateLimitSettings.DEFAULT_REDIS,
          true,
          List.of(rule));
    }
    int colon = redisAddress.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--rate-limits redis=HOST:PORT, got " + redisAddress);
    }
    String host = redisAddress.substring(0, colon);
    int port = Integer.parseInt(redisAddress.substring(colon + 1));
    return new RateLimitSettings(
        true,
        RateLimitSettings.DEFAULT_TENANT_HEADER,
        RateLimitSettings.Backend.REDIS,
        new SemanticCacheSettings.RedisSettings(host, port, "bench:rl:", null),
        true,
        List.of(rule));
  }

  /** A router serving one config on a free local port, its classifiers, and a client for it. */
  private static final class Router implements AutoCloseable {
    final RouterServer server;
    final ClassifierCache classifiers;
    final CacheStores cacheStores;
    final LimitStores limitStores;
    final LimitStageTimes limitTimes;
    ExtProcClient client;
    final double startSeconds;

    private Router(
        RouterServer server,
        ClassifierCache classifiers,
        CacheStores cacheStores,
        LimitStores limitStores,
        LimitStageTimes limitTimes,
        double startSeconds) {
      this.limitTimes = limitTimes;
      this.server = server;
      this.classifiers = classifiers;
      this.cacheStores = cacheStores;
      this.limitStores = limitStores;
      this.startSeconds = startSeconds;
    }

    /** As {@code serve} builds it (classifiers with default batching, cache stores, metrics). */
    static Router start(RouterConfig cfg, Duration messageTimeout) throws Exception {
      long t0 = System.nanoTime();
      ClassifierCache classifiers = new ClassifierCache(ClassifierOpener.withDefaultBatching());
      CacheStores stores = new CacheStores();
      RouterMetrics metrics = new RouterMetrics();
      LimitStores limits =
          new LimitStores(
              System::currentTimeMillis,
              metrics.fleet().breakerListener(),
              metrics.fleet()::storeFailure);
      LimitStageTimes limitTimes = new LimitStageTimes();
      try {
        RouterSnapshots snapshots =
            RouterSnapshots.of(
                new SnapshotBuilder(classifiers, stores, metrics, limits).apply(cfg));
        RouterServer server =
            RouterServer.start(
                new InetSocketAddress("127.0.0.1", 0),
                snapshots,
                ThreadLocalRandom::current,
                limitTimes::record,
                metrics,
                Tracing.OFF);
        Router router =
            new Router(
                server, classifiers, stores, limits, limitTimes, (System.nanoTime() - t0) / 1e9);
        router.client =
            new ExtProcClient("127.0.0.1", server.grpcPort(), ENVOY_MODE, messageTimeout);
        return router;
      } catch (Exception | Error e) {
        classifiers.close();
        stores.close();
        limits.close();
        throw e;
      }
    }

    @Override
    public void close() {
      if (client != null) {
        client.close();
      }
      server.close();
      classifiers.close();
      cacheStores.close();
      limitStores.close();
    }
  }
}

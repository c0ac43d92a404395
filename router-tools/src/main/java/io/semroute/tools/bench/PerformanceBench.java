package io.semroute.tools.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TextEmbedder;
import io.semroute.classifier.TorchRuntime;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.text.TokenizedText;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The encoder benchmark behind {@code router.jar bench}. Sections (all by default):
 *
 * <ul>
 *   <li>{@code gemm}: the engine's matMul GFLOP/s at encoder-typical shapes ({@link GemmBench});
 *   <li>{@code latency}: batch-1 latency of one direct call at several token counts, with the FLOPs
 *       of that forward ({@link EncoderFlops}), the GFLOP/s it achieved and its share of the
 *       measured GEMM peak;
 *   <li>{@code batch}: throughput of direct batched calls (texts per second) at a fixed length;
 *   <li>{@code concurrency}: closed-loop callers through the micro-batcher (requests per second,
 *       latency, batch sizes formed).
 * </ul>
 *
 * <p>Models: the built-in MiniLM on DJL next to ONNX Runtime on the same ONNX graph (same token
 * ids, same run, when ONNX Runtime is on the class path; DJL/ORT time ratios are printed), and a
 * ModernBERT-base-shaped classifier with random weights. Prints Markdown; docs/performance.md
 * records a run.
 */
public final class PerformanceBench {

  /** The parts of a run. */
  public enum Section {
    GEMM,
    LATENCY,
    BATCH,
    CONCURRENCY
  }

  /** What to run; see BenchCommand for the meaning of each option. */
  public record Settings(
      int intraOpThreads,
      int interOpThreads,
      int ortThreads,
      List<Integer> concurrency,
      List<Integer> longConcurrency,
      Duration warmup,
      Duration window,
      int shortIterations,
      int longIterations,
      boolean minilm,
      boolean modernBert,
      boolean modernBertLongUnderLoad,
      BatchPolicy policy,
      Set<Section> sections,
      List<Integer> tokens,
      List<Integer> batchSizes,
      int batchTokens,
      Duration pointBudget,
      Duration batchBudget,
      double gemmSeconds) {

    public Settings {
      sections = sections.isEmpty() ? EnumSet.noneOf(Section.class) : EnumSet.copyOf(sections);
      tokens = List.copyOf(tokens);
      batchSizes = List.copyOf(batchSizes);
    }
  }

  /** Token counts up to this use {@code shortIterations}, longer ones {@code longIterations}. */
  static final int SHORT_TOKENS = 64;

  static final String SHORT_PROMPT =
      "Can you explain how photosynthesis turns sunlight into chemical energy, and why it matters?";
  static final String LONG_PARAGRAPH =
      "The history of numerical computing is a story of trading precision for speed and back "
          + "again. Early machines used fixed point arithmetic because floating point hardware was "
          + "expensive, and programmers scaled every quantity by hand to keep it in range. When "
          + "floating point units became common, libraries for linear algebra grew around them, "
          + "and the same few kernels, matrix multiplication above all, came to dominate the "
          + "running time of scientific programs. ";

  private final Settings settings;
  private final PrintWriter out;

  /** Highest median GEMM rate measured in this run, or NaN when the gemm section did not run. */
  private double peakGflops = Double.NaN;

  public PerformanceBench(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  public void run() throws Exception {
    String threads = configureThreads();
    out.printf(Locale.ROOT, "# semantic-router encoder benchmark%n%n");
    MachineInfo.describe().forEach(out::println);
    out.printf(
        Locale.ROOT,
        "- libtorch %s: intra-op threads %s, inter-op threads %d; ONNX Runtime "
            + "intra-op threads %s%n",
        Engine.getEngine("PyTorch").getVersion(),
        threads,
        JniUtils.getNumInteropThreads(),
        settings.ortThreads() == 0 ? "its default" : Integer.toString(settings.ortThreads()));
    out.printf(
        Locale.ROOT,
        "- sections: %s; batch-1 points %s tokens (%d iterations up to %d "
            + "tokens, %d above, each point capped at %d s); batches %s x %d tokens%n",
        settings.sections().toString().toLowerCase(Locale.ROOT),
        settings.tokens(),
        settings.shortIterations(),
        SHORT_TOKENS,
        settings.longIterations(),
        settings.pointBudget().toSeconds(),
        settings.batchSizes(),
        settings.batchTokens());
    if (settings.sections().contains(Section.CONCURRENCY)) {
      out.printf(
          Locale.ROOT,
          "- micro-batcher: max batch %d, max wait %d ms, padding ratio %.1f%n",
          settings.policy().maxBatchSize(),
          settings.policy().maxWait().toMillis(),
          settings.policy().maxPaddingRatio());
    }
    out.println();
    if (settings.sections().contains(Section.GEMM)) {
      runGemm();
    }
    if (settings.minilm()) {
      runMiniLm();
    }
    if (settings.modernBert()) {
      runModernBert();
    }
    out.printf(Locale.ROOT, "load average at end: %s%n", MachineInfo.loadAverage());
    out.flush();
  }

  /** Applies the thread options before anything loads the engine; returns the count in effect. */
  private String configureThreads() {
    if (settings.intraOpThreads() == 0) {
      // libtorch's own default: load the engine before TorchRuntime can pin a thread count.
      if (System.getProperty("ai.djl.offline") == null) {
        System.setProperty("ai.djl.offline", "true");
      }
      if (settings.interOpThreads() > 0) {
        System.setProperty(
            "ai.djl.pytorch.num_interop_threads", Integer.toString(settings.interOpThreads()));
      }
      Engine.getEngine("PyTorch");
      return JniUtils.getNumThreads() + " (libtorch default)";
    }
    TorchRuntime.configure(settings.intraOpThreads(), settings.interOpThreads());
    TorchRuntime.engine();
    return Integer.toString(JniUtils.getNumThreads());
  }

  private void runGemm() {
    out.printf(Locale.ROOT, "## GEMM: DJL/libtorch matMul, float32, on this machine%n%n");
    out.printf(
        Locale.ROOT,
        "| shape | stands for | GFLOP per call | calls | p50 ms | GFLOP/s (p50) "
            + "| GFLOP/s (best) |%n");
    out.printf(Locale.ROOT, "|---|---|---:|---:|---:|---:|---:|%n");
    List<GemmBench.Result> results =
        GemmBench.run(GemmBench.DEFAULT_SHAPES, settings.gemmSeconds());
    for (GemmBench.Result r : results) {
      out.printf(
          Locale.ROOT,
          "| %s | %s | %.3f | %d | %.3f | %.1f | %.1f |%n",
          r.shape().label(),
          r.shape().meaning(),
          r.shape().flops() / 1e9,
          r.calls(),
          r.medianMs(),
          r.medianGflops(),
          r.bestGflops());
    }
    peakGflops = GemmBench.peakGflops(results);
    out.printf(
        Locale.ROOT,
        "%nGEMM peak used below (the highest p50 rate above): %.1f GFLOP/s%n%n",
        peakGflops);
  }

  private void runMiniLm() throws Exception {
    try (TextEmbedder embedder = ClassifierRegistry.builtinEmbedder(LoadOptions.DEFAULT)) {
      TokenizedText shortText = embedder.encoder().tokenize(SHORT_PROMPT);
      TokenizedText longText = embedder.encoder().tokenize(longPrompt(embedder, 500));
      // One long tokenization; exact-length inputs are slices of it (batch members start at
      // different offsets, so no two texts of a batch are equal).
      TokenizedText source =
          embedder.encoder().tokenizer().tokenizeUntruncated(longPrompt(embedder, 1200));
      List<BatchForward> targets = new ArrayList<>();
      targets.add(DjlForward.embedder("DJL MiniLM", embedder));
      BatchForward ort = OrtLoader.tryLoad(settings.ortThreads(), out);
      if (ort != null) {
        targets.add(ort);
        agreement(targets.get(0), ort, shortText, longText);
      }
      try {
        section(
            new Model(
                "all-MiniLM-L6-v2 (built-in encoder; embedding = encoder + mean pool + " + "L2)",
                EncoderFlops.miniLm(),
                targets,
                (tokens, variant) ->
                    slice(source, tokens, variant * 7 % (source.length() - tokens + 1)),
                shortText,
                longText,
                true));
      } finally {
        if (ort != null) {
          ort.close();
        }
      }
    }
  }

  private void runModernBert() throws Exception {
    Path dir = Files.createTempDirectory("modernbert-base-shape");
    try {
      long t0 = System.nanoTime();
      SyntheticModernBert.write(dir, 42);
      out.printf(
          Locale.ROOT,
          "(generated a random ModernBERT-base-shaped checkpoint in %.1f s)%n%n",
          (System.nanoTime() - t0) / 1e9);
      try (SequenceClassifier classifier =
          ClassifierRegistry.openSequence(dir, LoadOptions.DEFAULT)) {
        TokenizedText shortText = classifier.encoder().tokenize(SyntheticModernBert.prompt(25, 1));
        TokenizedText longText = classifier.encoder().tokenize(SyntheticModernBert.prompt(500, 2));
        section(
            new Model(
                "ModernBERT-base shape (768 hidden, 22 layers, 12 heads, intermediate "
                    + "1152, window 128, global every 3rd layer; random weights; sequence classifier)",
                EncoderFlops.modernBertBase(),
                List.of(DjlForward.classifier("DJL ModernBERT-base", classifier)),
                (tokens, variant) ->
                    classifier
                        .encoder()
                        .tokenize(SyntheticModernBert.prompt(tokens, 100L * tokens + variant)),
                shortText,
                longText,
                settings.modernBertLongUnderLoad()));
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** A text of exactly {@code tokens} tokens (special tokens included); variants differ. */
  private interface TextMaker {
    TokenizedText make(int tokens, int variant);
  }

  /** One model's section: its engines, its FLOP count, and its inputs. */
  private record Model(
      String title,
      EncoderFlops.Shape shape,
      List<BatchForward> targets,
      TextMaker texts,
      TokenizedText shortText,
      TokenizedText longText,
      boolean longUnderLoad) {}

  private void section(Model model) throws Exception {
    out.printf(Locale.ROOT, "## %s%n%n", model.title());
    out.printf(
        Locale.ROOT,
        "FLOPs of one forward, counted from the architecture (%s): linear "
            + "layers and attention matmuls.%n%n",
        model.shape().describe());
    Map<String, LatencyStats> latency = new LinkedHashMap<>();
    Map<String, Double> throughput = new LinkedHashMap<>();
    if (settings.sections().contains(Section.LATENCY)) {
      latencySweep(model, latency);
    }
    if (settings.sections().contains(Section.BATCH)) {
      batchThroughput(model, throughput);
    }
    if (model.targets().size() > 1 && (!latency.isEmpty() || !throughput.isEmpty())) {
      ratios(model, latency, throughput);
    }
    if (settings.sections().contains(Section.CONCURRENCY)) {
      concurrency(model.targets(), model.shortText(), model.longText(), model.longUnderLoad());
    }
  }

  private void latencySweep(Model model, Map<String, LatencyStats> results) throws Exception {
    out.printf(
        Locale.ROOT,
        "Batch-1 latency (one direct call, no batcher), ms. GFLOP/s = FLOPs of "
            + "the forward / p50; %% of GEMM peak = that / the peak above:%n%n");
    out.printf(
        Locale.ROOT,
        "| engine | tokens | min | p50 | p99 | mean | samples | GFLOP/forward "
            + "| GFLOP/s (p50) | %% of GEMM peak |%n");
    out.printf(Locale.ROOT, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|%n");
    for (BatchForward target : model.targets()) {
      for (int tokens : settings.tokens()) {
        TokenizedText text = model.texts().make(tokens, 0);
        int iterations =
            tokens <= SHORT_TOKENS ? settings.shortIterations() : settings.longIterations();
        LatencyStats s = timed(target, List.of(text), iterations, settings.pointBudget());
        results.put(target.name() + "@" + tokens, s);
        double gflop = model.shape().flops(text.length()) / 1e9;
        double rate = gflop / (s.p50() / 1e3);
        out.printf(
            Locale.ROOT,
            "| %s | %d | %.2f | %.2f | %.2f | %.2f | %d | %.3f | %.1f | %s |%n",
            target.name(),
            text.length(),
            s.min(),
            s.p50(),
            s.p99(),
            s.mean(),
            s.samples(),
            gflop,
            rate,
            percentOfPeak(rate));
      }
    }
    out.println();
  }

  private void batchThroughput(Model model, Map<String, Double> results) throws Exception {
    int tokens = settings.batchTokens();
    out.printf(
        Locale.ROOT,
        "Throughput of direct batched calls (no batcher): %d-token texts, all "
            + "of one length (no padding), at least 3 calls and %d s per point:%n%n",
        tokens,
        settings.batchBudget().toSeconds());
    out.printf(
        Locale.ROOT,
        "| engine | batch | tokens | texts/s | p50 ms per call | calls "
            + "| GFLOP/s (p50) | %% of GEMM peak |%n");
    out.printf(Locale.ROOT, "|---|---:|---:|---:|---:|---:|---:|---:|%n");
    for (BatchForward target : model.targets()) {
      for (int size : settings.batchSizes()) {
        List<TokenizedText> batch = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          batch.add(model.texts().make(tokens, i));
        }
        target.forward(batch); // warm-up
        List<Long> calls = new ArrayList<>();
        long budget = settings.batchBudget().toNanos();
        long start = System.nanoTime();
        while (calls.size() < 3 || (System.nanoTime() - start < budget && calls.size() < 10_000)) {
          long t0 = System.nanoTime();
          target.forward(batch);
          calls.add(System.nanoTime() - t0);
        }
        long[] nanos = calls.stream().mapToLong(Long::longValue).toArray();
        long total = 0;
        for (long n : nanos) {
          total += n;
        }
        LatencyStats s = LatencyStats.of(nanos);
        double textsPerSecond = (double) size * nanos.length / (total / 1e9);
        results.put(target.name() + "@" + size, textsPerSecond);
        double rate = size * model.shape().flops(tokens) / 1e9 / (s.p50() / 1e3);
        out.printf(
            Locale.ROOT,
            "| %s | %d | %d | %.1f | %.2f | %d | %.1f | %s |%n",
            target.name(),
            size,
            tokens,
            textsPerSecond,
            s.p50(),
            nanos.length,
            rate,
            percentOfPeak(rate));
      }
    }
    out.println();
  }

  /** DJL's time over each other engine's, for every figure both have. */
  private void ratios(
      Model model, Map<String, LatencyStats> latency, Map<String, Double> throughput) {
    String djl = model.targets().get(0).name();
    out.printf(
        Locale.ROOT,
        "%s against the other engine on the same inputs in this run, as a time "
            + "ratio (> 1: DJL slower; for throughput, other texts/s / DJL texts/s):%n%n",
        djl);
    out.printf(Locale.ROOT, "| figure | %s | other engine | other | DJL / other (time) |%n", djl);
    out.printf(Locale.ROOT, "|---|---:|---|---:|---:|%n");
    for (BatchForward other : model.targets().subList(1, model.targets().size())) {
      for (int tokens : settings.tokens()) {
        LatencyStats a = latency.get(djl + "@" + tokens);
        LatencyStats b = latency.get(other.name() + "@" + tokens);
        if (a != null && b != null) {
          out.printf(
              Locale.ROOT,
              "| batch-1 p50 ms, %d tokens | %.2f | %s | %.2f | %.2f |%n",
              tokens,
              a.p50(),
              other.name(),
              b.p50(),
              a.p50() / b.p50());
          out.printf(
              Locale.ROOT,
              "| batch-1 p99 ms, %d tokens | %.2f | %s | %.2f | %.2f |%n",
              tokens,
              a.p99(),
              other.name(),
              b.p99(),
              a.p99() / b.p99());
        }
      }
      for (int size : settings.batchSizes()) {
        Double a = throughput.get(djl + "@" + size);
        Double b = throughput.get(other.name() + "@" + size);
        if (a != null && b != null) {
          out.printf(
              Locale.ROOT,
              "| batch %d x %d tokens, texts/s | %.1f | %s | %.1f | %.2f |%n",
              size,
              settings.batchTokens(),
              a,
              other.name(),
              b,
              b / a);
        }
      }
    }
    out.println();
  }

  private void concurrency(
      List<BatchForward> targets,
      TokenizedText shortText,
      TokenizedText longText,
      boolean longUnderLoad)
      throws Exception {
    out.printf(
        Locale.ROOT,
        "Concurrent callers through the micro-batcher (closed loop, %d s "
            + "window after %d s warm-up); latency in ms:%n%n",
        settings.window().toSeconds(),
        settings.warmup().toSeconds());
    out.printf(Locale.ROOT, "| engine | tokens | callers | req/s | p50 | p99 | mean batch |%n");
    out.printf(Locale.ROOT, "|---|---:|---:|---:|---:|---:|---:|%n");
    for (BatchForward target : targets) {
      for (TokenizedText text : longUnderLoad ? List.of(shortText, longText) : List.of(shortText)) {
        // A round of 64 long prompts takes minutes on 2 cores: long prompts get their own list.
        for (int callers :
            text == shortText ? settings.concurrency() : settings.longConcurrency()) {
          ConcurrencyRun.Result r =
              ConcurrencyRun.run(
                  target, text, callers, settings.policy(), settings.warmup(), settings.window());
          out.printf(
              Locale.ROOT,
              "| %s | %d | %d | %.1f | %.2f | %.2f | %.1f |%n",
              target.name(),
              text.length(),
              callers,
              r.requestsPerSecond(),
              r.latency().p50(),
              r.latency().p99(),
              r.meanBatch());
        }
      }
    }
    out.println();
  }

  /**
   * Warm-up, then up to {@code iterations} timed calls; stops early once {@code budget} has passed
   * (after at least five), so a slow point cannot hold the run for minutes.
   */
  private static LatencyStats timed(
      BatchForward target, List<TokenizedText> batch, int iterations, Duration budget)
      throws Exception {
    long start = System.nanoTime();
    int warmup = Math.max(2, iterations / 10);
    for (int i = 0;
        i < warmup && (i < 1 || System.nanoTime() - start < budget.toNanos() / 4);
        i++) {
      target.forward(batch);
    }
    long[] samples = new long[Math.max(1, iterations)];
    int n = 0;
    start = System.nanoTime();
    while (n < samples.length && (n < 5 || System.nanoTime() - start < budget.toNanos())) {
      long t0 = System.nanoTime();
      target.forward(batch);
      samples[n++] = System.nanoTime() - t0;
    }
    return LatencyStats.of(Arrays.copyOf(samples, n));
  }

  private String percentOfPeak(double gflops) {
    return Double.isNaN(peakGflops)
        ? "n/a"
        : String.format(Locale.ROOT, "%.0f%%", 100 * gflops / peakGflops);
  }

  /**
   * {@code tokens} tokens of {@code source}: its first (special) token, content tokens from {@code
   * offset} on, and its last (special) token.
   */
  static TokenizedText slice(TokenizedText source, int tokens, int offset) {
    if (tokens < 2 || tokens + offset > source.length()) {
      throw new IllegalArgumentException(
          "cannot cut "
              + tokens
              + " tokens at offset "
              + offset
              + " from a "
              + source.length()
              + "-token text");
    }
    long[] ids = new long[tokens];
    String[] pieces = new String[tokens];
    int[] start = new int[tokens];
    int[] end = new int[tokens];
    boolean[] special = new boolean[tokens];
    int last = source.length() - 1;
    for (int i = 0; i < tokens; i++) {
      int from = i == 0 ? 0 : i == tokens - 1 ? last : offset + i;
      ids[i] = source.ids()[from];
      pieces[i] = source.tokens()[from];
      start[i] = source.charStart()[from];
      end[i] = source.charEnd()[from];
      special[i] = source.special()[from];
    }
    return new TokenizedText(source.text(), ids, pieces, start, end, special, true, tokens);
  }

  /** Both engines must compute the same embeddings, or the timing comparison means nothing. */
  private void agreement(BatchForward djl, BatchForward ort, TokenizedText a, TokenizedText b)
      throws Exception {
    List<?> x = djl.forward(List.of(a, b));
    List<?> y = ort.forward(List.of(a, b));
    double worst = 0;
    for (int i = 0; i < x.size(); i++) {
      float[] u = (float[]) x.get(i);
      float[] v = (float[]) y.get(i);
      for (int d = 0; d < u.length; d++) {
        worst = Math.max(worst, Math.abs(u[d] - v[d]));
      }
    }
    out.printf(
        Locale.ROOT,
        "DJL vs ONNX Runtime on the same inputs (batched, padded): max |diff| "
            + "of embeddings = %.2e%n%n",
        worst);
  }

  private static String longPrompt(TextEmbedder embedder, int tokens) {
    StringBuilder text = new StringBuilder();
    while (embedder.encoder().tokenize(text.toString()).originalTokenCount() < tokens) {
      text.append(LONG_PARAGRAPH);
    }
    return text.toString();
  }
}

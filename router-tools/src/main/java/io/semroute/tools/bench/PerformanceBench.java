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
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The performance benchmark behind {@code router.jar bench}: batch-1 latency and throughput under
 * concurrency through the micro-batcher, for the built-in MiniLM (DJL, next to ONNX Runtime on
 * the same ONNX graph when it is on the classpath) and a ModernBERT-base-shaped classifier.
 * Prints Markdown tables; docs/performance.md records a run.
 */
public final class PerformanceBench {

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
      BatchPolicy policy) {}

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
  private final PrintStream out;

  public PerformanceBench(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public void run() throws Exception {
    String threads = configureThreads();
    out.printf(Locale.ROOT, "# semantic-router benchmark%n%n");
    out.printf(Locale.ROOT, "- cores: %d, load average at start: %s%n",
        Runtime.getRuntime().availableProcessors(), loadAverage());
    out.printf(Locale.ROOT, "- libtorch: intra-op threads %s, inter-op threads %d%n", threads,
        JniUtils.getNumInteropThreads());
    out.printf(Locale.ROOT, "- micro-batcher: max batch %d, max wait %d ms, padding ratio %.1f%n",
        settings.policy().maxBatchSize(), settings.policy().maxWait().toMillis(),
        settings.policy().maxPaddingRatio());
    out.printf(Locale.ROOT, "- java %s, %s%n%n", System.getProperty("java.version"),
        System.getProperty("os.arch"));
    if (settings.minilm()) {
      runMiniLm();
    }
    if (settings.modernBert()) {
      runModernBert();
    }
    out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
  }

  /** Applies the thread options before anything loads the engine; returns the count in effect. */
  private String configureThreads() {
    if (settings.intraOpThreads() == 0) {
      // libtorch's own default: load the engine before TorchRuntime can pin a thread count.
      if (System.getProperty("ai.djl.offline") == null) {
        System.setProperty("ai.djl.offline", "true");
      }
      if (settings.interOpThreads() > 0) {
        System.setProperty("ai.djl.pytorch.num_interop_threads",
            Integer.toString(settings.interOpThreads()));
      }
      Engine.getEngine("PyTorch");
      return JniUtils.getNumThreads() + " (libtorch default)";
    }
    TorchRuntime.configure(settings.intraOpThreads(), settings.interOpThreads());
    TorchRuntime.engine();
    return Integer.toString(JniUtils.getNumThreads());
  }

  private void runMiniLm() throws Exception {
    try (TextEmbedder embedder = ClassifierRegistry.builtinEmbedder(LoadOptions.DEFAULT)) {
      TokenizedText shortText = embedder.encoder().tokenize(SHORT_PROMPT);
      TokenizedText longText = embedder.encoder().tokenize(longPrompt(embedder, 500));
      List<BatchForward> targets = new ArrayList<>();
      targets.add(DjlForward.embedder("DJL MiniLM", embedder));
      BatchForward ort = OrtLoader.tryLoad(settings.ortThreads(), out);
      if (ort != null) {
        targets.add(ort);
        agreement(targets.get(0), ort, shortText, longText);
      }
      try {
        section("all-MiniLM-L6-v2 (built-in encoder; embedding = encoder + mean pool + L2)",
            targets, shortText, longText, true);
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
      out.printf(Locale.ROOT, "(generated a random ModernBERT-base-shaped checkpoint in %.1f s)%n%n",
          (System.nanoTime() - t0) / 1e9);
      try (SequenceClassifier classifier = ClassifierRegistry.openSequence(dir, LoadOptions.DEFAULT)) {
        TokenizedText shortText = classifier.encoder().tokenize(SyntheticModernBert.prompt(25, 1));
        TokenizedText longText = classifier.encoder().tokenize(SyntheticModernBert.prompt(500, 2));
        section("ModernBERT-base shape (768 hidden, 22 layers, 12 heads, intermediate 1152, "
                + "window 128, global every 3rd layer; random weights; sequence classifier)",
            List.of(DjlForward.classifier("DJL ModernBERT-base", classifier)),
            shortText, longText, settings.modernBertLongUnderLoad());
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void section(String title, List<BatchForward> targets, TokenizedText shortText,
      TokenizedText longText, boolean longUnderLoad) throws Exception {
    out.printf(Locale.ROOT, "## %s%n%n", title);
    out.printf(Locale.ROOT, "Batch-1 latency (direct call, no batcher), ms:%n%n");
    out.printf(Locale.ROOT, "| engine | tokens | min | p50 | p90 | p99 | mean | samples |%n");
    out.printf(Locale.ROOT, "|---|---:|---:|---:|---:|---:|---:|---:|%n");
    for (BatchForward target : targets) {
      for (TokenizedText text : List.of(shortText, longText)) {
        int iterations = text == shortText ? settings.shortIterations() : settings.longIterations();
        LatencyStats s = batchOne(target, text, iterations);
        out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %d |%n",
            target.name(), text.length(), s.min(), s.p50(), s.p90(), s.p99(), s.mean(), s.samples());
      }
    }
    out.printf(Locale.ROOT, "%nConcurrent callers through the micro-batcher (closed loop, %d s "
        + "window after %d s warm-up); latency in ms:%n%n",
        settings.window().toSeconds(), settings.warmup().toSeconds());
    out.printf(Locale.ROOT, "| engine | tokens | callers | req/s | p50 | p99 | mean batch |%n");
    out.printf(Locale.ROOT, "|---|---:|---:|---:|---:|---:|---:|%n");
    for (BatchForward target : targets) {
      for (TokenizedText text : longUnderLoad ? List.of(shortText, longText) : List.of(shortText)) {
        // A round of 64 long prompts takes minutes on 2 cores: long prompts get their own list.
        for (int callers : text == shortText ? settings.concurrency() : settings.longConcurrency()) {
          ConcurrencyRun.Result r = ConcurrencyRun.run(target, text, callers, settings.policy(),
              settings.warmup(), settings.window());
          out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.2f | %.2f | %.1f |%n", target.name(),
              text.length(), callers, r.requestsPerSecond(), r.latency().p50(), r.latency().p99(),
              r.meanBatch());
        }
      }
    }
    out.println();
  }

  private static LatencyStats batchOne(BatchForward target, TokenizedText text, int iterations)
      throws Exception {
    List<TokenizedText> batch = List.of(text);
    int warmup = Math.max(3, iterations / 10);
    for (int i = 0; i < warmup; i++) {
      target.forward(batch);
    }
    long[] samples = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      target.forward(batch);
      samples[i] = System.nanoTime() - t0;
    }
    return LatencyStats.of(samples);
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
    out.printf(Locale.ROOT, "DJL vs ONNX Runtime on the same inputs (batched, padded): max |diff| "
        + "of embeddings = %.2e%n%n", worst);
  }

  private static String longPrompt(TextEmbedder embedder, int tokens) {
    StringBuilder text = new StringBuilder();
    while (embedder.encoder().tokenize(text.toString()).originalTokenCount() < tokens) {
      text.append(LONG_PARAGRAPH);
    }
    return text.toString();
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}

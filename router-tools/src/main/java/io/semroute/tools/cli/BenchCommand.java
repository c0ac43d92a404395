package io.semroute.tools.cli;

import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.tools.bench.PerformanceBench;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code router.jar bench}: prints latency and throughput figures (see docs/performance.md). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark the classifier engine (prints Markdown tables; not a test): the",
      "engine's GEMM GFLOP/s; batch-1 latency at several token counts with the",
      "GFLOP/s achieved; throughput of direct batched calls; throughput under",
      "concurrency through the micro-batcher. For the built-in MiniLM (next to ONNX",
      "Runtime on the same graph, with DJL/ORT ratios, when ONNX Runtime is on the",
      "class path) and a ModernBERT-base-shaped model with random weights."
    })
public final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "-1",
      description =
          "libtorch intra-op threads; -1 = the router's default, 0 = libtorch's own default (default: ${DEFAULT-VALUE})")
  int intraOpThreads;

  @Option(
      names = "--interop-threads",
      defaultValue = "1",
      description = "libtorch inter-op threads (default: ${DEFAULT-VALUE})")
  int interOpThreads;

  @Option(
      names = "--ort-threads",
      defaultValue = "1",
      description = "ONNX Runtime intra-op threads, 0 = its default (default: ${DEFAULT-VALUE})")
  int ortThreads;

  @Option(
      names = "--concurrency",
      split = ",",
      defaultValue = "1,4,16,64",
      description = "concurrent callers to try (default: ${DEFAULT-VALUE})")
  List<Integer> concurrency;

  @Option(
      names = "--long-concurrency",
      split = ",",
      defaultValue = "1,4,16",
      description = "concurrent callers for the ~500-token prompt (default: ${DEFAULT-VALUE})")
  List<Integer> longConcurrency;

  @Option(
      names = "--seconds",
      defaultValue = "5",
      description = "measured seconds per concurrency point (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "2",
      description = "warm-up seconds per concurrency point (default: ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(
      names = "--iterations",
      defaultValue = "300",
      description = "batch-1 iterations per point up to 64 tokens (default: ${DEFAULT-VALUE})")
  int shortIterations;

  @Option(
      names = "--long-iterations",
      defaultValue = "30",
      description = "batch-1 iterations per point above 64 tokens (default: ${DEFAULT-VALUE})")
  int longIterations;

  @Option(
      names = "--sections",
      split = ",",
      defaultValue = "gemm,latency,batch,concurrency",
      description =
          "which parts to run: gemm, latency, batch, concurrency (default: ${DEFAULT-VALUE})")
  List<String> sections;

  @Option(
      names = "--tokens",
      split = ",",
      defaultValue = "16,64,256,512",
      description = "token counts of the batch-1 latency points (default: ${DEFAULT-VALUE})")
  List<Integer> tokens;

  @Option(
      names = "--point-seconds",
      defaultValue = "20",
      description =
          "time cap of one batch-1 point; at least 5 samples are taken (default: ${DEFAULT-VALUE})")
  int pointSeconds;

  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "8,32",
      description =
          "batch sizes of the direct batched throughput points (default: ${DEFAULT-VALUE})")
  List<Integer> batchSizes;

  @Option(
      names = "--batch-tokens",
      defaultValue = "64",
      description = "tokens per text in the batched throughput points (default: ${DEFAULT-VALUE})")
  int batchTokens;

  @Option(
      names = "--batch-seconds",
      defaultValue = "5",
      description =
          "measuring time of one batched point; at least 3 calls (default: ${DEFAULT-VALUE})")
  int batchSeconds;

  @Option(
      names = "--gemm-seconds",
      defaultValue = "2",
      description = "measuring time of one GEMM shape (default: ${DEFAULT-VALUE})")
  double gemmSeconds;

  @Option(
      names = "--models",
      split = ",",
      defaultValue = "minilm,modernbert",
      description = "which models: minilm, modernbert (default: ${DEFAULT-VALUE})")
  List<String> models;

  @Option(
      names = "--modernbert-long-under-load",
      description = "also run the ~500-token ModernBERT prompt under concurrency (slow)")
  boolean modernBertLongUnderLoad;

  @Option(
      names = "--max-batch",
      defaultValue = "32",
      description = "micro-batcher max batch size (default: ${DEFAULT-VALUE})")
  int maxBatch;

  @Option(
      names = "--max-wait-ms",
      defaultValue = "2",
      description = "micro-batcher gathering window under load, ms (default: ${DEFAULT-VALUE})")
  int maxWaitMs;

  /** Also runnable on its own: {@code java -cp router.jar:onnxruntime.jar <this class>}. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    for (String m : models) {
      if (!m.equals("minilm") && !m.equals("modernbert")) {
        System.err.println("bench: unknown model '" + m + "' in --models (use minilm, modernbert)");
        return 2;
      }
    }
    Set<PerformanceBench.Section> parts = EnumSet.noneOf(PerformanceBench.Section.class);
    for (String name : sections) {
      try {
        parts.add(PerformanceBench.Section.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        System.err.println(
            "bench: unknown section '"
                + name
                + "' in --sections (use gemm, latency, batch, concurrency)");
        return 2;
      }
    }
    int maxTokens = tokens.stream().mapToInt(Integer::intValue).max().orElse(0);
    int minTokens =
        Math.min(batchTokens, tokens.stream().mapToInt(Integer::intValue).min().orElse(2));
    if (minTokens < 2 || maxTokens > 512) {
      System.err.println(
          "bench: --tokens and --batch-tokens must be between 2 and 512 (MiniLM's limit)");
      return 2;
    }
    BatchPolicy policy =
        BatchPolicy.defaults()
            .withMaxBatchSize(maxBatch)
            .withMaxWait(Duration.ofMillis(maxWaitMs))
            .withDefaultDeadline(Duration.ofMinutes(5));
    PerformanceBench.Settings settings =
        new PerformanceBench.Settings(
            intraOpThreads,
            interOpThreads,
            ortThreads,
            concurrency,
            longConcurrency,
            Duration.ofSeconds(warmupSeconds),
            Duration.ofSeconds(seconds),
            shortIterations,
            longIterations,
            models.contains("minilm"),
            models.contains("modernbert"),
            modernBertLongUnderLoad,
            policy,
            parts,
            tokens,
            batchSizes,
            batchTokens,
            Duration.ofSeconds(pointSeconds),
            Duration.ofSeconds(batchSeconds),
            gemmSeconds);
    new PerformanceBench(settings, spec.commandLine().getOut()).run();
    return 0;
  }
}

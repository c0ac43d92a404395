package io.semroute.tools.cli;

import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.tools.bench.PerformanceBench;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code router.jar bench}: prints latency and throughput figures (see docs/performance.md). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark the classifier engine: batch-1 latency and throughput under concurrency through",
      "the micro-batcher, for the built-in MiniLM (next to ONNX Runtime when it is on the",
      "classpath) and a ModernBERT-base-shaped model with random weights."
    })
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--intra-op-threads", defaultValue = "-1",
      description = "libtorch intra-op threads; -1 = the router's default, 0 = libtorch's own default (default: ${DEFAULT-VALUE})")
  int intraOpThreads;

  @Option(names = "--interop-threads", defaultValue = "1",
      description = "libtorch inter-op threads (default: ${DEFAULT-VALUE})")
  int interOpThreads;

  @Option(names = "--ort-threads", defaultValue = "1",
      description = "ONNX Runtime intra-op threads, 0 = its default (default: ${DEFAULT-VALUE})")
  int ortThreads;

  @Option(names = "--concurrency", split = ",", defaultValue = "1,4,16,64",
      description = "concurrent callers to try (default: ${DEFAULT-VALUE})")
  List<Integer> concurrency;

  @Option(names = "--long-concurrency", split = ",", defaultValue = "1,4,16",
      description = "concurrent callers for the ~500-token prompt (default: ${DEFAULT-VALUE})")
  List<Integer> longConcurrency;

  @Option(names = "--seconds", defaultValue = "5",
      description = "measured seconds per concurrency point (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--warmup-seconds", defaultValue = "2",
      description = "warm-up seconds per concurrency point (default: ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(names = "--iterations", defaultValue = "300",
      description = "batch-1 iterations for the short prompt (default: ${DEFAULT-VALUE})")
  int shortIterations;

  @Option(names = "--long-iterations", defaultValue = "30",
      description = "batch-1 iterations for the ~500-token prompt (default: ${DEFAULT-VALUE})")
  int longIterations;

  @Option(names = "--models", split = ",", defaultValue = "minilm,modernbert",
      description = "which models: minilm, modernbert (default: ${DEFAULT-VALUE})")
  List<String> models;

  @Option(names = "--modernbert-long-under-load",
      description = "also run the ~500-token ModernBERT prompt under concurrency (slow)")
  boolean modernBertLongUnderLoad;

  @Option(names = "--max-batch", defaultValue = "32",
      description = "micro-batcher max batch size (default: ${DEFAULT-VALUE})")
  int maxBatch;

  @Option(names = "--max-wait-ms", defaultValue = "2",
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
    BatchPolicy policy = BatchPolicy.defaults()
        .withMaxBatchSize(maxBatch)
        .withMaxWait(Duration.ofMillis(maxWaitMs))
        .withDefaultDeadline(Duration.ofMinutes(5));
    PerformanceBench.Settings settings = new PerformanceBench.Settings(
        intraOpThreads, interOpThreads, ortThreads, concurrency, longConcurrency,
        Duration.ofSeconds(warmupSeconds),
        Duration.ofSeconds(seconds), shortIterations, longIterations, models.contains("minilm"),
        models.contains("modernbert"), modernBertLongUnderLoad, policy);
    new PerformanceBench(settings, System.out).run();
    return 0;
  }
}

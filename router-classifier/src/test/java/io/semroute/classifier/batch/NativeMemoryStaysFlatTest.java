package io.semroute.classifier.batch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.TextEmbedder;
import io.semroute.classifier.registry.ClassifierRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 item 7, not a timed test: many batches through the real engine leave no native arrays
 * behind and the process's native memory does not grow. The exact check is DJL's count of live
 * arrays under the engine's root manager (every batch's manager must be closed); the resident set
 * outside the Java heap is a coarse second check with a generous bound.
 */
class NativeMemoryStaysFlatTest {

  /** One cycle: the same texts every time, so a healthy allocator reaches a steady state. */
  private static final int ROUNDS_PER_CYCLE = 10;

  private static final int PER_ROUND = 6;
  private static final int WARMUP_CYCLES = 2;
  private static final int MEASURED_CYCLES = 6;
  private static final long NATIVE_GROWTH_BOUND = 64L << 20;

  @Test
  void manyBatchesLeaveNoArraysBehindAndNativeMemoryFlat() throws Exception {
    try (TextEmbedder embedder = ClassifierRegistry.builtinEmbedder(LoadOptions.DEFAULT);
        BatchedEncoder batched =
            BatchedEncoder.start(
                "memory",
                BatchPolicy.defaults().withDefaultDeadline(Duration.ofSeconds(60)),
                SharedHead.embedding("embedding", embedder))) {
      NDManager root = rootManager();
      for (int c = 0; c < WARMUP_CYCLES; c++) {
        runCycle(batched);
      }
      int arraysBefore = root.getManagedArrays().size();
      long nativeBefore = nativeBytes();
      StringBuilder trace = new StringBuilder();
      for (int c = 0; c < MEASURED_CYCLES; c++) {
        runCycle(batched);
        trace.append(nativeBytes() >> 20).append(' ');
      }
      int arraysAfter = root.getManagedArrays().size();
      long nativeAfter = nativeBytes();

      BatcherStats stats = batched.batcher().stats();
      assertThat(stats.completed())
          .isEqualTo((long) (WARMUP_CYCLES + MEASURED_CYCLES) * ROUNDS_PER_CYCLE * PER_ROUND);
      assertThat(arraysAfter)
          .as("live native arrays after %d more batches", stats.calls())
          .isEqualTo(arraysBefore);
      assertThat(nativeAfter - nativeBefore)
          .as(
              "growth of resident memory outside the Java heap (MiB after warm-up %d, per cycle %s)",
              nativeBefore >> 20, trace)
          .isLessThan(NATIVE_GROWTH_BOUND);
    }
  }

  /** Rounds of concurrent texts of varied lengths (3 to ~40 tokens), so padding varies too. */
  private static void runCycle(BatchedEncoder batched) {
    for (int r = 0; r < ROUNDS_PER_CYCLE; r++) {
      List<CompletableFuture<HeadOutputs>> round = new ArrayList<>();
      for (int i = 0; i < PER_ROUND; i++) {
        round.add(batched.submit("text " + i + " " + "word ".repeat((r * 7 + i * 13) % 37)));
      }
      round.forEach(CompletableFuture::join);
    }
  }

  /** The engine's root manager, parent of every base manager (weights and batches alike). */
  private static NDManager rootManager() {
    try (NDManager probe = NDManager.newBaseManager("PyTorch")) {
      return probe.getParentManager();
    }
  }

  /** Resident set size minus the JVM's own committed heap and non-heap memory. */
  private static long nativeBytes() throws IOException {
    System.gc();
    long rss = 0;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    assertThat(rss).as("VmRSS from /proc/self/status").isPositive();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    return rss
        - memory.getHeapMemoryUsage().getCommitted()
        - memory.getNonHeapMemoryUsage().getCommitted();
  }
}

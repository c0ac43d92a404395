package io.semroute.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The smallest {@code bench} run works (every section, both models, ONNX Runtime when it is on the
 * class path as it is for this module's tests) and prints its tables. Not timed; no figure is
 * checked.
 */
class BenchCommandTest {

  @Test
  void smallestRunOfEverySectionPrintsItsTables() {
    String out =
        run(
            "--models",
            "minilm,modernbert",
            "--tokens",
            "16,24",
            "--iterations",
            "2",
            "--long-iterations",
            "1",
            "--point-seconds",
            "0",
            "--batch-sizes",
            "2",
            "--batch-tokens",
            "16",
            "--batch-seconds",
            "0",
            "--gemm-seconds",
            "0",
            "--concurrency",
            "1",
            "--long-concurrency",
            "1",
            "--seconds",
            "1",
            "--warmup-seconds",
            "0");
    assertThat(out)
        .contains("# semantic-router encoder benchmark")
        .contains("- CPU: ")
        .contains("- libtorch ")
        .contains(
            "| shape | stands for | GFLOP per call | calls | p50 ms | GFLOP/s (p50) | GFLOP/s (best) |")
        .contains("| [2048x2048] x [2048x2048] | large square |")
        .contains("GEMM peak used below")
        .contains(
            "| engine | tokens | min | p50 | p99 | mean | samples | GFLOP/forward | GFLOP/s (p50) "
                + "| % of GEMM peak |")
        .contains("| DJL MiniLM | 16 |")
        .contains("| DJL ModernBERT-base | 24 |")
        .contains(
            "| engine | batch | tokens | texts/s | p50 ms per call | calls | GFLOP/s (p50) "
                + "| % of GEMM peak |")
        .contains("| engine | tokens | callers | req/s | p50 | p99 | mean batch |")
        .contains("load average at end");
    if (!out.contains("ONNX Runtime is not on the classpath")) {
      assertThat(out)
          .contains("| ORT MiniLM (intra-op 1) | 16 |")
          .contains("| figure | DJL MiniLM | other engine | other | DJL / other (time) |")
          .contains("| batch-1 p50 ms, 16 tokens |")
          .contains("| batch 2 x 16 tokens, texts/s |");
    }
  }

  @Test
  void unknownSectionIsAUsageError() {
    assertThat(new CommandLine(new BenchCommand()).execute("--sections", "gemm,nope")).isEqualTo(2);
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    int code = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out)).execute(args);
    System.out.println(out);
    assertThat(code).as(out.toString()).isZero();
    return out.toString();
  }
}

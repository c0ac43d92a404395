package io.semroute.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.testkit.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The smallest {@code bench-e2e} run works end to end (router on a free port, real gRPC, every
 * variant) and prints its tables. Not timed; no figure is checked. Uses the keyword-only config for
 * every variant so no model loads.
 */
class E2eBenchCommandTest {

  @Test
  void smallestRunOfEveryVariantPrintsItsTables() {
    String out =
        run(
            "--config",
            Fixtures.repo("docs/config-keywords-only.yaml").toString(),
            "--models-off-config",
            "derive",
            "--variants",
            "off,auto,explicit,long",
            "--concurrency",
            "1,2",
            "--long-concurrency",
            "1",
            "--warmup-seconds",
            "0",
            "--seconds",
            "0.5",
            "--prompts",
            "12",
            "--long-prompts",
            "2",
            "--long-tokens",
            "120");
    assertThat(out)
        .contains("# semantic-router end-to-end benchmark")
        .contains("- CPU: ")
        .contains(
            "| variant | prompts | concurrency | req/s | p50 ms | p99 ms | requests | errors "
                + "| router answered | RSS after (MiB) |")
        .contains("| off | auto, keyword rules only | 1 |")
        .contains("| auto | auto | 2 |")
        .contains("| explicit | llama-3.1-8b-instruct | 1 |")
        .contains("| long | auto, long (mean ")
        .contains("models off: derived from")
        .contains("the built-in list")
        .contains("Summary: req/s (p50 ms) per concurrency")
        .contains("| keyword rules only, no models |")
        .doesNotContain("first errors seen");
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    int code = new CommandLine(new E2eBenchCommand()).setOut(new PrintWriter(out)).execute(args);
    System.out.println(out);
    assertThat(code).as(out.toString()).isZero();
    return out.toString();
  }
}

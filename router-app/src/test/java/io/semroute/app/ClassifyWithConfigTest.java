package io.semroute.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.testkit.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code router.jar classify --config}: the task's model is the one the router config names. */
class ClassifyWithConfigTest {
  private static final Path REPO = Fixtures.repo();
  private final ObjectMapper mapper = new ObjectMapper();

  @TempDir Path tmp;

  private record Run(int exit, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return new Run(cl.execute(args), err.toString());
  }

  /**
   * A small router config in its own folder; {@code classifierLines} go under {@code classifier:}.
   */
  private Path config(String name, String classifierLines) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    String yaml =
        """
        default_model: small
        models:
          small: {}
        backends:
          - {name: b, address: "127.0.0.1:8000", models: [small]}
        classifier:
          device: cpu
        %s
        categories:
          - name: math
            model_scores: [{model: small, score: 1.0}]
          - name: law
            model_scores: [{model: small, score: 1.0}]
        """
            .formatted(classifierLines.indent(2).stripTrailing());
    Path cfg = dir.resolve("config.yaml");
    Files.writeString(cfg, yaml);
    return cfg;
  }

  @Test
  void categoryTaskUsesTheConfiguredModel() throws Exception {
    // relative to the config file, as users write it
    String rel = tmp.resolve("conf").relativize(REPO.resolve("models/category")).toString();
    Path cfg = config("conf", "category_model: " + rel);
    Path input = tmp.resolve("in.jsonl");
    Path output = tmp.resolve("out.jsonl");
    Files.writeString(
        input,
        "{\"text\": \"Solve for x: 3x + 7 = 22. What is x?\"}\n"
            + "{\"text\": \"Is a verbal agreement to sell land enforceable under the statute of frauds?\"}\n");
    Run r =
        run(
            "classify",
            "--config",
            cfg.toString(),
            "--task",
            "category",
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--device",
            "cpu");
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.err).contains(REPO.resolve("models/category").toString());
    List<String> lines = Files.readAllLines(output);
    assertThat(lines).hasSize(2);
    assertThat(mapper.readTree(lines.get(0)).get("label").asText()).isEqualTo("math");
    assertThat(mapper.readTree(lines.get(1)).get("label").asText()).isEqualTo("law");
  }

  @Test
  void missingModelOrBrokenConfigIsAClearError() throws Exception {
    Path input = tmp.resolve("in.jsonl");
    Files.writeString(input, "{\"text\": \"hi\"}\n");
    Path noModel = config("plain", "max_tokens: 0");
    Run r =
        run(
            "classify",
            "--config",
            noModel.toString(),
            "--task",
            "category",
            "--input",
            input.toString(),
            "--output",
            tmp.resolve("o.jsonl").toString());
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("classifier.category_model");

    Path broken = tmp.resolve("broken.yaml");
    Files.writeString(broken, "listeners:\n  grpc_prot: 1\n");
    r =
        run(
            "classify",
            "--config",
            broken.toString(),
            "--task",
            "category",
            "--input",
            input.toString(),
            "--output",
            tmp.resolve("o.jsonl").toString());
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("broken.yaml:2").contains("grpc_prot");
  }
}

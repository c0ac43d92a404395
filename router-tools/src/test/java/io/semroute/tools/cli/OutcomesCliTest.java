package io.semroute.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.outcome.OutcomeModel;
import io.semroute.tools.routing.OutcomeTraining;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * train --task outcomes -> an outcomes folder; classify --task routing picks by it; eval --task
 * routing prints the baselines and writes the curve. Real encoder, small synthetic outcome data:
 * arithmetic only the strong model answers, greetings every model answers.
 */
class OutcomesCliTest {
  @TempDir Path dir;
  private final ObjectMapper mapper = new ObjectMapper();

  private static int run(Callable<Integer> command, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }

  private Path data() throws Exception {
    List<String> lines = new ArrayList<>();
    String[] greet = {
      "hello there",
      "hi, how are you",
      "good morning!",
      "hey, nice to meet you",
      "thanks a lot",
      "have a nice day",
      "how is it going",
      "good evening friend"
    };
    for (int i = 0; i < 40; i++) {
      String math =
          "Compute " + (17 + i) + " * " + (23 + 3 * i) + " - " + (5 + i) + " and show the steps.";
      String hi = greet[i % greet.length] + " " + "!".repeat(i % 5);
      lines.add(row("m" + i, "math", math, 0, 1));
      lines.add(row("g" + i, "chat", hi, 1, 1));
    }
    return Files.write(dir.resolve("outcomes.jsonl"), lines);
  }

  private String row(String id, String task, String prompt, int cheapScore, int strongScore)
      throws Exception {
    var o = mapper.createObjectNode().put("id", id).put("task", task).put("prompt", prompt);
    var out = o.putObject("outcomes");
    out.putObject("cheap").put("score", cheapScore).put("cost_usd", 0.001);
    out.putObject("strong").put("score", strongScore).put("cost_usd", 0.01);
    return mapper.writeValueAsString(o);
  }

  @Test
  void trainClassifyEval() throws Exception {
    Path data = data();
    Path folder = dir.resolve("outcomes-model");
    Path cache = dir.resolve("cache");
    assertThat(
            run(
                new TrainCommand(),
                "--task",
                "outcomes",
                "--data",
                data.toString(),
                "--out",
                folder.toString(),
                "--cache-dir",
                cache.toString(),
                "--threads",
                "1"))
        .isZero();
    assertThat(folder.resolve("config.json")).exists();
    assertThat(folder.resolve("model.safetensors")).exists();
    assertThat(Files.readString(folder.resolve("README.md")))
        .contains("cheapest", "RouterBench", "Held-out test part");
    JsonNode cfg = mapper.readTree(folder.resolve("config.json").toFile());
    assertThat(cfg.path("models").get(0).path("name").asText()).isEqualTo("cheap");
    assertThat(cfg.path("models").get(1).path("mean_cost_usd").asDouble())
        .isCloseTo(0.01, Assertions.within(1e-9));

    Path in =
        Files.writeString(
            dir.resolve("in.jsonl"),
            "{\"id\": 1, \"text\": \"Compute 91 * 77 - 12 and show the steps.\"}\n{\"prompt\": \"hello, good morning!\"}\n");
    Path out = dir.resolve("out.jsonl");
    assertThat(
            run(
                new ClassifyCommand(),
                "--task",
                "routing",
                "--model",
                folder.toString(),
                "--input",
                in.toString(),
                "--output",
                out.toString()))
        .isZero();
    List<String> rows = Files.readAllLines(out);
    assertThat(rows).hasSize(2);
    JsonNode r0 = mapper.readTree(rows.get(0));
    JsonNode r1 = mapper.readTree(rows.get(1));
    assertThat(r0.path("id").asInt()).isEqualTo(1);
    assertThat(r0.path("model").asText()).isEqualTo("strong");
    assertThat(r1.path("model").asText()).isEqualTo("cheap");
    assertThat(r0.path("success").path("cheap").asDouble())
        .isLessThan(r1.path("success").path("cheap").asDouble());

    // the serving path (OutcomeModel.predict, no cache) gives what training-side features give
    try (OutcomeModel m = OutcomeModel.open(folder, LoadOptions.DEFAULT, true)) {
      String text = "Compute 91 * 77 - 12 and show the steps.";
      double[] served = m.predict(List.of(text)).get(0);
      double[] offline =
          m.head().predict(OutcomeTraining.features(List.of(text), m.maxTokens(), cache, "t")[0]);
      for (int k = 0; k < served.length; k++) {
        assertThat(served[k]).isCloseTo(offline[k], Assertions.within(1e-4));
      }
    }

    Path html = dir.resolve("report.html");
    assertThat(
            run(
                new EvalCommand(),
                "--task",
                "routing",
                "--data",
                data.toString(),
                "--model",
                folder.toString(),
                "--cache-dir",
                cache.toString(),
                "--leave-one-task-out",
                "--html",
                html.toString()))
        .isZero();
    String page = Files.readString(html);
    assertThat(page)
        .contains("<svg", "oracle", "random sharing", "Leave one task out", "always cheap");
  }
}

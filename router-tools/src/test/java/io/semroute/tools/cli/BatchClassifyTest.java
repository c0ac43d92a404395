package io.semroute.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.testkit.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code classify --task … --input --output} with the shipped models: one output row per input row,
 * in order, equal to what the model says for each text on its own.
 */
class BatchClassifyTest {
  private static final Path MODELS = Fixtures.repo("models");
  private final ObjectMapper mapper = new ObjectMapper();

  @TempDir Path tmp;

  private record Run(int exit, String err) {}

  private static Run run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new ClassifyCommand());
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, err.toString());
  }

  private List<JsonNode> readRows(Path file) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      rows.add(mapper.readTree(line));
    }
    return rows;
  }

  @Test
  void categoryRowsComeOutInOrderAndMatchSingleTextClassification() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < BatchClassification.CHUNK + 5; i++) { // more than one chunk
      texts.add(
          switch (i % 4) {
            case 0 -> "What is the derivative of x^3 + " + i + "x with respect to x?";
            case 1 ->
                "Under the doctrine of adverse possession, can a trespasser gain title after "
                    + i
                    + " years?";
            case 2 -> "Which enzyme unwinds the DNA double helix during replication? Case " + i;
            default ->
                "A firm's marginal cost is "
                    + i
                    + " dollars; at what price does it maximise profit?";
          });
    }
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < texts.size(); i++) {
      in.append(
              mapper.writeValueAsString(
                  mapper.createObjectNode().put("id", "row-" + i).put("text", texts.get(i))))
          .append('\n');
    }
    in.append('\n'); // a trailing blank line is not a row
    Path input = tmp.resolve("in.jsonl");
    Path output = tmp.resolve("out.jsonl");
    Files.writeString(input, in);

    Run r =
        run(
            "--model",
            MODELS.resolve("category").toString(),
            "--task",
            "category",
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--device",
            "cpu");
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.err).contains(texts.size() + " rows");

    List<JsonNode> rows = readRows(output);
    assertThat(rows).hasSize(texts.size());
    try (SequenceClassifier c = SequenceEval.open(MODELS.resolve("category"))) {
      for (int i = 0; i < texts.size(); i++) {
        SequenceClassification alone = c.classify(texts.get(i));
        JsonNode row = rows.get(i);
        assertThat(row.get("id").asText()).isEqualTo("row-" + i);
        assertThat(row.get("label").asText()).as(texts.get(i)).isEqualTo(alone.label());
        assertThat(row.get("confidence").asDouble()).isCloseTo(alone.confidence(), within(1e-4));
      }
    }
    assertThat(rows.get(0).get("label").asText()).isEqualTo("math");
    assertThat(rows.get(1).get("label").asText()).isEqualTo("law");
  }

  @Test
  void piiRowsListEntitiesWithOffsetsIntoTheText() throws Exception {
    String card = "My card 4111 1111 1111 1111 was charged twice, mail me at jane.doe@example.com";
    String none = "What time does the museum open on Sundays?";
    Path input = tmp.resolve("pii.jsonl");
    Path output = tmp.resolve("pii-out.jsonl");
    Files.writeString(
        input,
        mapper.writeValueAsString(mapper.createObjectNode().put("text", card))
            + "\n"
            + mapper.writeValueAsString(mapper.createObjectNode().put("text", none))
            + "\n");

    Run r =
        run(
            "--model",
            MODELS.resolve("pii").toString(),
            "--task",
            "pii",
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--device",
            "cpu");
    assertThat(r.exit).as(r.err).isZero();
    List<JsonNode> rows = readRows(output);
    assertThat(rows).hasSize(2);
    List<String> found = new ArrayList<>();
    for (JsonNode e : rows.get(0).get("entities")) {
      found.add(
          e.get("type").asText()
              + "="
              + card.substring(e.get("start").asInt(), e.get("end").asInt()));
      assertThat(e.get("score").asDouble()).isBetween(0.0, 1.0);
    }
    assertThat(found)
        .contains("CREDIT_CARD=4111 1111 1111 1111", "EMAIL_ADDRESS=jane.doe@example.com");
    // The second row has nothing the recognizers validate (the model's free-text types may still
    // guess, so only structured types are asserted absent).
    for (JsonNode e : rows.get(1).get("entities")) {
      assertThat(e.get("type").asText())
          .isNotIn("CREDIT_CARD", "EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN");
      assertThat(e.get("end").asInt()).isLessThanOrEqualTo(none.length());
    }
  }

  @Test
  void badRowNamesFileAndLineAndLeavesNoOutput() throws Exception {
    Path input = tmp.resolve("bad.jsonl");
    Path output = tmp.resolve("bad-out.jsonl");
    Files.writeString(input, "{\"text\": \"fine\"}\n{\"txt\": \"no text field\"}\n");
    Run r =
        run(
            "--model",
            MODELS.resolve("category").toString(),
            "--task",
            "category",
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--device",
            "cpu");
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains(input + ":2:").contains("\"text\"");
    assertThat(output).doesNotExist();
    assertThat(output.resolveSibling("bad-out.jsonl.part")).doesNotExist();

    Files.writeString(input, "{\"text\": \"fine\"}\nnot json\n");
    r =
        run(
            "--model",
            MODELS.resolve("category").toString(),
            "--task",
            "category",
            "--input",
            input.toString(),
            "--output",
            output.toString());
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains(input + ":2: not valid JSON");
  }

  @Test
  void batchModeOptionsAreChecked() {
    Path in = tmp.resolve("x.jsonl");
    assertThat(run("--task", "category", "--input", in.toString(), "--output", "o.jsonl").err)
        .contains("exactly one of --config FILE or --model DIR");
    assertThat(run("--model", "m", "--task", "category", "--input", in.toString()).err)
        .contains("needs --task, --input and --output");
    Run r =
        run(
            "--config",
            "config.yaml",
            "--task",
            "category",
            "--input",
            in.toString(),
            "--output",
            "o.jsonl");
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("run classify from router.jar");
    r =
        run(
            "--model",
            MODELS.resolve("category").toString(),
            "--task",
            "category",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("o.jsonl").toString());
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("input file does not exist");
  }
}

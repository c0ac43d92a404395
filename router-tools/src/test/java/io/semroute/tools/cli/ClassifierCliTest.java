package io.semroute.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.classifier.Entity;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TokenClassifier;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.testkit.Fixtures;
import io.semroute.testkit.QualityTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The classify and embed subcommands print the golden numbers for the golden inputs. */
class ClassifierCliTest {
  private final ObjectMapper mapper = new ObjectMapper();

  private record Run(int exit, String out, String err) {}

  private static Run run(Callable<Integer> command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void classifyPrintsGoldenLogitsForSequenceClassifier() throws Exception {
    Path dir = Fixtures.golden("modernbert/seq-cls-mean");
    JsonNode exp = mapper.readTree(dir.resolve("expected.json").toFile());
    for (int i = 0; i < exp.get("texts").size(); i++) {
      Run r =
          run(
              new ClassifyCommand(),
              "--model",
              dir.toString(),
              "--text",
              exp.get("texts").get(i).asText(),
              "--json",
              "--device",
              "cpu");
      assertThat(r.exit).as(r.err).isZero();
      JsonNode o = mapper.readTree(r.out);
      JsonNode logits = o.get("logits");
      JsonNode want = exp.get("logits").get(i);
      assertThat(logits.size()).isEqualTo(want.size());
      int best = 0;
      double sum = 0;
      for (int k = 0; k < want.size(); k++) {
        assertThat(logits.get(k).asDouble()).isCloseTo(want.get(k).asDouble(), within(1e-4));
        if (want.get(k).asDouble() > want.get(best).asDouble()) {
          best = k;
        }
        sum += o.get("scores").get("LABEL_" + k).asDouble();
      }
      assertThat(o.get("label").asText()).isEqualTo("LABEL_" + best);
      assertThat(sum).isCloseTo(1.0, within(1e-5));
      assertThat(o.get("confidence").asDouble())
          .isCloseTo(o.get("scores").get("LABEL_" + best).asDouble(), within(1e-7));
    }
  }

  @Test
  void classifyPrintsTokensAndEntitiesForTokenClassifier() throws Exception {
    Path dir = Fixtures.golden("modernbert/token-cls");
    JsonNode exp = mapper.readTree(dir.resolve("expected.json").toFile());
    String text = exp.get("texts").get(1).asText();
    Run r =
        run(
            new ClassifyCommand(),
            "--model",
            dir.toString(),
            "--text",
            text,
            "--json",
            "--device",
            "cpu");
    assertThat(r.exit).as(r.err).isZero();
    JsonNode o = mapper.readTree(r.out);
    JsonNode want = exp.get("logits").get(1);
    JsonNode tokens = o.get("tokens");
    // special tokens [CLS]/[SEP] are left out of the per-token list
    assertThat(tokens.size()).isEqualTo(want.size() - 2);
    String[] words = text.split(" ");
    for (int t = 0; t < tokens.size(); t++) {
      JsonNode row = want.get(t + 1);
      int best = 0;
      for (int k = 1; k < row.size(); k++) {
        if (row.get(k).asDouble() > row.get(best).asDouble()) {
          best = k;
        }
      }
      assertThat(tokens.get(t).get("token").asText()).isEqualTo(words[t]);
      assertThat(tokens.get(t).get("label").asText()).isEqualTo("LABEL_" + best);
    }
    // every entity's offsets point at its text, and entities cover the tokens in order
    assertThat(o.get("entities").size()).isPositive();
    for (JsonNode e : o.get("entities")) {
      assertThat(text.substring(e.get("start").asInt(), e.get("end").asInt()))
          .isEqualTo(e.get("text").asText());
      assertThat(e.get("type").asText()).startsWith("LABEL_");
    }
  }

  @Test
  void classifyTextModeRunsTheShippedHeadOnlyFolders() throws Exception {
    Path models = Fixtures.repo("models");
    String question = "Solve for x: 2x + 3 = 7. Show each algebra step.";
    Run r =
        run(
            new ClassifyCommand(),
            "--model",
            models.resolve("category").toString(),
            "--text",
            question,
            "--json");
    assertThat(r.exit).as(r.err).isZero();
    JsonNode o = mapper.readTree(r.out);
    try (SequenceClassifier c =
        ClassifierRegistry.openSequence(models.resolve("category"), LoadOptions.DEFAULT)) {
      SequenceClassification want = c.classify(List.of(question)).get(0);
      assertThat(o.get("label").asText()).isEqualTo(want.label()).isEqualTo("math");
      assertThat(o.get("confidence").asDouble()).isCloseTo(want.confidence(), within(1e-6));
      assertThat(o.get("scores").size()).isEqualTo(want.scores().size());
    }

    String contact = "Please call Maria Fernandez about the refund.";
    Run t =
        run(
            new ClassifyCommand(),
            "--model",
            models.resolve("pii").toString(),
            "--text",
            contact,
            "--json");
    assertThat(t.exit).as(t.err).isZero();
    JsonNode entities = mapper.readTree(t.out).get("entities");
    try (TokenClassifier c =
        ClassifierRegistry.openToken(models.resolve("pii"), LoadOptions.DEFAULT)) {
      List<Entity> want = c.classify(List.of(contact)).get(0).entities();
      assertThat(entities.size()).isEqualTo(want.size()).isPositive();
      for (int i = 0; i < want.size(); i++) {
        assertThat(entities.get(i).get("type").asText()).isEqualTo(want.get(i).type());
        assertThat(entities.get(i).get("start").asInt()).isEqualTo(want.get(i).start());
        assertThat(entities.get(i).get("end").asInt()).isEqualTo(want.get(i).end());
      }
    }
  }

  @Test
  void embedPrintsGoldenEmbedding() throws Exception {
    JsonNode exp = mapper.readTree(Fixtures.golden("minilm").resolve("expected.json").toFile());
    Run r =
        run(
            new EmbedCommand(),
            "--text",
            exp.get("texts").get(0).asText(),
            "--json",
            "--device",
            "cpu");
    assertThat(r.exit).as(r.err).isZero();
    JsonNode v = mapper.readTree(r.out).get("embedding");
    JsonNode want = exp.get("embeddings").get(0);
    assertThat(v.size()).isEqualTo(384);
    for (int k = 0; k < 384; k++) {
      assertThat(v.get(k).asDouble()).isCloseTo(want.get(k).asDouble(), within(1e-4));
    }
  }

  @Test
  void missingModelDirectoryIsAClearError() {
    Run r =
        run(new ClassifyCommand(), "--model", "/nonexistent/model-dir", "--text", "hi", "--json");
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("/nonexistent/model-dir");
    assertThat(r.out).isEmpty();
  }

  @Test
  @QualityTest
  void trainPrepareWritesTheSetsIncludingGeneratedPiiRows(
      @org.junit.jupiter.api.io.TempDir Path out) throws Exception {
    Run r =
        run(
            new TrainCommand(),
            "prepare",
            "--data-dir",
            Fixtures.sharedData("README.md").getParent().toString(),
            "--out",
            out.toString(),
            "--pii-generated",
            "300",
            "--no-mmlu");
    assertThat(r.exit).as(r.err).isZero();
    long train = Files.lines(out.resolve("pii_train.jsonl")).count();
    long generated = Files.lines(out.resolve("pii_train_generated.jsonl")).count();
    assertThat(generated).isEqualTo(train + 300);
    assertThat(run(new TrainCommand(), "--task", "pii").exit).isEqualTo(2);
  }
}

package io.semroute.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.SequenceClassifier;
import io.semroute.testkit.Fixtures;
import io.semroute.tools.eval.ClassificationReport;
import io.semroute.tools.eval.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code eval --html FILE}: the page carries the same figures as the model gives. */
class EvalHtmlReportTest {
  private static final Path MODELS = Fixtures.repo("models");

  @TempDir Path tmp;

  @Test
  void categoryReportHasTheModelsAccuracyAndConfusionCells() throws Exception {
    List<String> texts =
        List.of(
            "What is the derivative of x^2 + 3x?",
            "Solve for x: 2x - 4 = 10.",
            "Is hearsay admissible if the declarant is unavailable to testify?",
            "Which organelle produces ATP in eukaryotic cells?");
    List<String> gold = List.of("math", "math", "law", "law"); // the last one is deliberately wrong
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < texts.size(); i++) {
      jsonl
          .append("{\"text\": \"")
          .append(texts.get(i))
          .append("\", \"label\": \"")
          .append(gold.get(i))
          .append("\"}\n");
    }
    Path data = tmp.resolve("dev.jsonl");
    Files.writeString(data, jsonl);
    Path html = tmp.resolve("reports/category.html");

    int exit =
        new CommandLine(new EvalCommand())
            .execute(
                "--task",
                "category",
                "--data",
                data.toString(),
                "--model",
                MODELS.resolve("category").toString(),
                "--html",
                html.toString());
    assertThat(exit).isZero();

    List<String> predicted = new ArrayList<>();
    try (SequenceClassifier c = SequenceEval.open(MODELS.resolve("category"))) {
      for (String t : texts) {
        predicted.add(c.classify(t).label());
      }
    }
    ClassificationReport expected = ClassificationReport.of(gold, predicted, labelsSeen(predicted));
    String page = Files.readString(html);
    assertThat(page)
        .startsWith("<!DOCTYPE html>")
        .contains("<h1>category eval</h1>")
        .contains(
            String.format(
                Locale.ROOT,
                "<td>4</td><td>%.4f</td><td>%.4f</td>",
                expected.accuracy(),
                expected.macroF1()))
        .contains("<th>law</th>");
    assertThat(expected.accuracy()).isLessThan(1.0); // the mislabelled row is counted as a miss
  }

  private static List<String> labelsSeen(List<String> predicted) {
    List<String> labels = new ArrayList<>(List.of("math", "law"));
    predicted.stream().filter(p -> !labels.contains(p)).distinct().forEach(labels::add);
    return labels;
  }

  @Test
  void piiPatternReportListsEntityTypes() throws Exception {
    Path data = tmp.resolve("pii.jsonl");
    String text = "Card 4111 1111 1111 1111 on file";
    Files.writeString(
        data,
        "{\"text\": \""
            + text
            + "\", \"spans\": [{\"start\": 5, \"end\": 24, \"label\": \"CREDIT_CARD\", \"value\": \"4111 1111 1111 1111\"}], \"template_id\": 1}\n");
    Path html = tmp.resolve("pii.html");
    int exit =
        new CommandLine(new EvalCommand())
            .execute("--task", "pii", "--data", data.toString(), "--html", html.toString());
    assertThat(exit).isZero();
    assertThat(Files.readString(html))
        .contains(
            "<tr><th>CREDIT_CARD</th><td>1.0000</td><td>1.0000</td><td>1.0000</td><td>1</td></tr>");
  }

  @Test
  void labelsAreEscaped() {
    ClassificationReport r =
        ClassificationReport.of(List.of("<script>", "a&b"), List.of("<script>", "<script>"));
    String page = new HtmlReport("x <y>").classification(r).render();
    assertThat(page)
        .doesNotContain("<script>")
        .contains("&lt;script&gt;")
        .contains("a&amp;b")
        .contains("x &lt;y&gt;");
  }
}

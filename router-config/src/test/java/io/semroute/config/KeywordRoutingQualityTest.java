package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.testkit.Fixtures;
import io.semroute.testkit.QualityTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Measures the keyword-only example config (docs/config-keywords-only.yaml: routing without any
 * classifier model, for deployments that cannot run one) on the shared labelled data (MMLU-Pro dev
 * split; CLINC150 everyday assistant requests as negatives) and prints the figures. Floors are set
 * well under the measured values so the test catches a broken rule set, not noise. Policy measured:
 * the highest-scoring matching rule wins, declaration order breaks ties, no match or a score under
 * the threshold goes to default_model.
 */
@QualityTest
class KeywordRoutingQualityTest {
  static RouterConfig config;
  static Map<Category, List<Pattern>> patterns = new LinkedHashMap<>();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void load() {
    config = ConfigLoader.load(Fixtures.repo().resolve("docs/config-keywords-only.yaml"));
    for (Category c : config.categories()) {
      patterns.put(c, c.keywords().stream().map(KeywordRule::toPattern).toList());
    }
  }

  static List<JsonNode> rows(Path jsonl) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(jsonl)) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  /** The category whose best matching rule scores highest, if at or above the threshold. */
  static Category classify(String text) {
    Category best = null;
    double bestScore = -1;
    for (Map.Entry<Category, List<Pattern>> e : patterns.entrySet()) {
      List<KeywordRule> rules = e.getKey().keywords();
      for (int i = 0; i < rules.size(); i++) {
        double s = rules.get(i).score();
        if (s > bestScore && e.getValue().get(i).matcher(text).find()) {
          best = e.getKey();
          bestScore = s;
        }
      }
    }
    return bestScore >= config.classifier().categoryThreshold() ? best : null;
  }

  static String routedModel(String text) {
    Category c = classify(text);
    return c == null ? config.defaultModel() : c.bestModel().model();
  }

  @Test
  void mmluProDevRoutesMostPromptsToTheirDomainsModel() throws IOException {
    List<JsonNode> dev = rows(Fixtures.sharedData("category/dev.jsonl"));
    int rightCategory = 0;
    int rightModel = 0;
    for (JsonNode row : dev) {
      String text = row.get("text").asText();
      String label = row.get("label").asText();
      Category c = classify(text);
      if (c != null && c.name().equals(label)) {
        rightCategory++;
      }
      String wanted = config.category(label).orElseThrow().bestModel().model();
      if (routedModel(text).equals(wanted)) {
        rightModel++;
      }
    }
    double categoryAcc = rightCategory / (double) dev.size();
    double modelAcc = rightModel / (double) dev.size();
    System.out.printf(
        "keyword routing on MMLU-Pro dev (n=%d): category accuracy %.3f, routed to the domain's model %.3f%n",
        dev.size(), categoryAcc, modelAcc);
    assertThat(categoryAcc).isGreaterThan(0.40);
    assertThat(modelAcc).isGreaterThan(0.80);
  }

  @Test
  void everydayRequestsRarelyTriggerTheReasoningModel() throws IOException {
    // Every 10th row (2,370 of 23,700): the full set took over two minutes of CI for the same
    // figure (1.1 % on all rows).
    List<JsonNode> all = rows(Fixtures.sharedData("prompts/clinc150.jsonl"));
    List<JsonNode> clinc = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 10) {
      clinc.add(all.get(i));
    }
    long toReasoning =
        clinc.stream()
            .map(r -> r.get("text").asText())
            .filter(t -> config.reasoningFamilyOf(routedModel(t)).isPresent())
            .count();
    double rate = toReasoning / (double) clinc.size();
    System.out.printf(
        "keyword routing on CLINC150 everyday requests (n=%d): %.3f sent to the reasoning model%n",
        clinc.size(), rate);
    assertThat(rate).isLessThan(0.03);
  }

  /** Ordinary prompts must hit their domain's keyword rules, and that domain must win. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "What is the derivative of x^2?|math",
        "Solve the quadratic equation x^2 - 5x + 6 = 0|math",
        "Explain photosynthesis|biology",
        "What is a tort?|law",
        "A ball is thrown with a velocity of 20 m/s; find its maximum height.|physics",
        "Balance this chemical reaction and give the molar mass of H2O.|chemistry",
        "Write a Python function that reverses a linked list.|computer science",
        "What caused the fall of the Roman Empire?|history",
        "What did Kant mean by the categorical imperative?|philosophy",
        "How does inflation affect interest rates set by the central bank?|economics",
        "What are the symptoms of diabetes and how is it treated?|health",
        "How does classical conditioning shape behavior according to Pavlov?|psychology",
        "How should a startup plan its marketing budget and cash flow?|business",
        "Compute the voltage across the transformer in this circuit.|engineering",
      })
  void ordinaryPromptsRouteToTheirDomain(String prompt, String expected) {
    assertThat(Optional.ofNullable(classify(prompt)).map(Category::name))
        .as(prompt)
        .contains(expected);
  }
}

package io.semroute.tools.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.outcome.OutcomeModel;
import io.semroute.testkit.Fixtures;
import io.semroute.testkit.QualityTest;
import io.semroute.tools.data.Jsonl;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped outcomes folders on their held-out prompts (the folders' own split by prompt): the
 * default policy beats random sharing between the cheapest and the most accurate model at equal
 * cost by at least 3 accuracy points (the bar the shipped outcome models were accepted at), with
 * the figures of models/README.md.
 */
@QualityTest
class OutcomeRoutingQualityTest {

  @ParameterizedTest
  @CsvSource({
    "routerbench-outcomes, routing/routerbench_train.jsonl, , 0.8895",
    "llmrouter-outcomes, routing/llmrouter_train.jsonl, routing/llmrouter_prices.json, 0.6280"
  })
  void defaultPolicyBeatsRandomSharingAtEqualCostOnHeldOutPrompts(
      String folder, String data, String prices, double measured) throws Exception {
    Path dir = Fixtures.repo().resolve("models").resolve(folder);
    JsonNode split = Jsonl.MAPPER.readTree(dir.resolve("config.json").toFile()).path("split");
    PromptSplit s =
        new PromptSplit(
            split.path("seed").asLong(),
            split.path("dev_fraction").asDouble(),
            split.path("test_fraction").asDouble());
    try (OutcomeModel m = OutcomeModel.open(dir, LoadOptions.DEFAULT, false)) {
      OutcomeData all =
          OutcomeData.read(
              Fixtures.sharedData(data), prices == null ? null : Fixtures.sharedData(prices), 256);
      OutcomeData test = all.part(s, PromptSplit.Part.test);
      float[][] x =
          OutcomeTraining.features(
              test.prompts(), m.maxTokens(), Path.of("target/embedding-cache"), "held-out");
      double[][] p = new double[x.length][];
      for (int i = 0; i < x.length; i++) {
        p[i] = m.head().predict(x[i]);
      }
      RoutingEvaluation e = new RoutingEvaluation(test);
      RoutingEvaluation.CurvePoint at = e.policy(p, m.meanCosts(), m.target());
      System.out.printf(
          "%s held-out: accuracy %.4f cost $%.6f, random at equal cost %.4f (gain %+.2f), best mix %.4f%n",
          folder,
          at.accuracy(),
          at.cost(),
          at.randomAccuracy(),
          100 * at.gain(),
          at.hullAccuracy());
      assertThat(at.gain()).isGreaterThanOrEqualTo(0.03);
      assertThat(at.accuracy()).isCloseTo(measured, Assertions.within(0.002));
    }
  }
}

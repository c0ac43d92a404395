package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user adds a domain by writing YAML: the root config plus a {@code cooking} category that has
 * only {@code examples:} (routed to qwen3-8b without reasoning, so it is told apart from the
 * default). Its utterances route to it next to the category model, through the real stack.
 */
class ExamplesRoutingEndToEndTest {
  static final List<String> COOKING =
      List.of(
          "How long should I roast a whole chicken?",
          "What can I use instead of eggs in a cake?",
          "Give me a quick vegetarian dinner recipe.");

  @TempDir static Path dir;
  private static RouterStack stack;

  @BeforeAll
  static void start() throws Exception {
    Path root = Fixtures.repo();
    StringBuilder yaml =
        new StringBuilder(
            Files.readString(root.resolve("config.yaml"))
                .replace("model: models/", "model: " + root.resolve("models") + "/")
                .replace(
                    "category_model: models/", "category_model: " + root.resolve("models") + "/"));
    yaml.append(
        """

          - name: cooking
            description: "Recipes and kitchen techniques."
            model_scores:
              - {model: qwen3-8b, score: 1.0, use_reasoning: false}
            examples:
        """);
    for (String e : COOKING) {
      yaml.append("      - \"").append(e).append("\"\n");
    }
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    RouterConfig config = ConfigLoader.load(file);
    stack = RouterStack.withClassifiers(config);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void theExampleUtterancesRouteToTheirCategory(int i) throws Exception {
    Exchange ex = send(COOKING.get(i));
    RouterEndToEndTest.assertConsistentUpstream(ex, "qwen3-8b");
    assertThat(ex.header("x-vsr-selected-category")).isEqualTo("cooking");
    assertThat(ex.header("x-vsr-selected-reasoning")).isEqualTo("off");
  }

  /**
   * Close paraphrases route to cooking even where the domain model is confidently wrong about them
   * ("health 0.99" for a dinner idea): the model never learned this domain, so an example match
   * outranks it (SignalClassifier).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "How many minutes do I roast a chicken for?",
        "Suggest an easy vegetarian meal for tonight",
        "What is a good egg substitute for baking?"
      })
  void closeParaphrasesRouteThereToo(String prompt) throws Exception {
    Exchange ex = send(prompt);
    assertThat(ex.header("x-vsr-selected-category")).as(prompt).isEqualTo("cooking");
    RouterEndToEndTest.assertConsistentUpstream(ex, "qwen3-8b");
  }

  @Test
  void otherTextsKeepTheirRoutes() throws Exception {
    Exchange math = send("Prove that the square root of 2 is irrational.");
    assertThat(math.header("x-vsr-selected-category")).isEqualTo("math");
    Exchange law = send("Is a verbal contract enforceable under common law?");
    assertThat(law.header("x-vsr-selected-category")).isEqualTo("law");
  }

  private static Exchange send(String prompt) throws Exception {
    return stack.envoy.send(
        ClientRequest.postJson("/v1/chat/completions", RouterEndToEndTest.chat("auto", prompt)));
  }
}

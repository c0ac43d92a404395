package io.semroute.extproc.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.semroute.config.ConfigException;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A category model's labels against the config's categories: errors name file, line and key. */
class CategoryLabelsTest {
  @TempDir Path dir;

  RouterConfig load(String categories) throws Exception {
    Files.createDirectories(dir.resolve("model"));
    Files.writeString(dir.resolve("model/config.json"), "{}");
    Path file = dir.resolve("router.yaml");
    Files.writeString(
        file,
        """
        models: {m: }
        backends: [{name: b, address: 'vllm:8000', models: [m]}]
        default_model: m
        classifier:
          category_model: model
        categories:
        """
            + categories);
    return ConfigLoader.load(file);
  }

  @Test
  void labelsNamingCategoriesPass() throws Exception {
    RouterConfig cfg =
        load(
            """
          - {name: math, model_scores: [{model: m, score: 1}]}
          - {name: cooking, model_scores: [{model: m, score: 1}], examples: ['How do I bake bread?']}
        """);
    // cooking is not a label but has examples; law is a label but no category (goes to default).
    CategoryLabels.check(cfg, List.of("math", "law"));
  }

  @Test
  void noMatchingLabelIsAnErrorAtTheModelKey() throws Exception {
    RouterConfig cfg = load("  - {name: math, model_scores: [{model: m, score: 1}]}\n");
    assertThatThrownBy(() -> CategoryLabels.check(cfg, List.of("LABEL_0", "LABEL_1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "router.yaml:5: classifier.category_model: none of the model's labels is a category name")
        .hasMessageContaining("model labels: LABEL_0, LABEL_1; categories: math");
  }

  @Test
  void aCategoryNothingCanChooseIsAnError() throws Exception {
    RouterConfig cfg =
        load(
            """
          - {name: math, model_scores: [{model: m, score: 1}]}
          - {name: computer_science, model_scores: [{model: m, score: 1}]}
        """);
    ConfigException e =
        Assertions.assertThrows(
            ConfigException.class,
            () -> CategoryLabels.check(cfg, List.of("math", "computer science")));
    assertThat(e.line()).isEqualTo(5);
    assertThat(e.getMessage())
        .contains(
            "category 'computer_science' is not a label of the model and has no keywords or examples");
  }
}

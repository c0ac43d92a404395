package io.semroute.extproc.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.Category;
import io.semroute.config.ModelScore;
import io.semroute.config.ModelSpec;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionEngineTest {
  @Test
  void confidentCategoryPicksItsBestModelWithReasoning() {
    DecisionEngine engine = DecisionEngine.keywordOnly(TestConfigs.sample());
    RoutingDecision d = engine.decide(List.of("derivative of x^2"));
    assertThat(d.model()).isEqualTo(TestConfigs.QWEN);
    assertThat(d.category()).isEqualTo("math");
    assertThat(d.reasoning()).isTrue();
    assertThat(d.reasoningEffort()).isEqualTo("medium");
    assertThat(d.explicit()).isFalse();
  }

  @Test
  void belowThresholdOrNothingGoesToTheDefaultModel() {
    DecisionEngine engine = DecisionEngine.keywordOnly(TestConfigs.sample());
    assertThat(engine.decide(List.of("energy bill")).model()).isEqualTo(TestConfigs.LLAMA);
    assertThat(engine.decide(List.of("energy bill")).reason()).contains("below threshold");
    assertThat(engine.decide(List.of()).model()).isEqualTo(TestConfigs.LLAMA);
    assertThat(engine.decide(List.of("hello")).category()).isNull();
  }

  @Test
  void effortComesFromTheScoreThenTheModelThenMedium() {
    RouterConfig base = TestConfigs.sample();
    var models = new LinkedHashMap<>(base.models());
    models.put(TestConfigs.QWEN, new ModelSpec(TestConfigs.QWEN, "qwen3", "high", null));
    var categories = new ArrayList<>(base.categories());
    var math = categories.get(0);
    categories.set(
        0,
        new Category(
            math.name(),
            math.description(),
            List.of(new ModelScore(TestConfigs.QWEN, 1.0, true, "low")),
            math.systemPrompt(),
            math.keywords(),
            math.examples()));
    RouterConfig withScoreEffort =
        new RouterConfig(
            null,
            base.listeners(),
            base.backends(),
            models,
            base.reasoningFamilies(),
            categories,
            base.defaultModel(),
            base.autoModelNames(),
            base.routing(),
            base.classifier());
    assertThat(
            DecisionEngine.keywordOnly(withScoreEffort)
                .decide(List.of("integral"))
                .reasoningEffort())
        .isEqualTo("low");
    RouterConfig withModelEffort =
        new RouterConfig(
            null,
            base.listeners(),
            base.backends(),
            models,
            base.reasoningFamilies(),
            base.categories(),
            base.defaultModel(),
            base.autoModelNames(),
            base.routing(),
            base.classifier());
    assertThat(
            DecisionEngine.keywordOnly(withModelEffort)
                .decide(List.of("integral"))
                .reasoningEffort())
        .isEqualTo("high");
  }

  @Test
  void aLabelThatIsNotACategoryFallsBackToTheDefault() {
    RouterConfig cfg = TestConfigs.sample();
    Classifier stray = text -> new Classification("astrology", 0.99, Map.of("astrology", 0.99));
    RoutingDecision d = new DecisionEngine(cfg, stray).decide(List.of("my horoscope"));
    assertThat(d.model()).isEqualTo(TestConfigs.LLAMA);
    assertThat(d.reason()).contains("astrology");
  }
}

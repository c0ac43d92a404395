package io.semroute.extproc.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.ModelScore;
import io.semroute.config.ModelSpec;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DecisionEngineTest {
  @Test
  void confidentCategoryPicksItsBestModelWithReasoning() {
    DecisionEngine engine = DecisionEngines.keywordOnly(TestConfigs::sample).current();
    RoutingDecision d = engine.decide(List.of("derivative of x^2"));
    assertThat(d.model()).isEqualTo(TestConfigs.QWEN);
    assertThat(d.category()).isEqualTo("math");
    assertThat(d.reasoning()).isTrue();
    assertThat(d.reasoningEffort()).isEqualTo("medium");
    assertThat(d.explicit()).isFalse();
  }

  @Test
  void belowThresholdOrNothingGoesToTheDefaultModel() {
    DecisionEngine engine = DecisionEngines.keywordOnly(TestConfigs::sample).current();
    assertThat(engine.decide(List.of("energy bill")).model()).isEqualTo(TestConfigs.LLAMA);
    assertThat(engine.decide(List.of("energy bill")).reason()).contains("below threshold");
    assertThat(engine.decide(List.of()).model()).isEqualTo(TestConfigs.LLAMA);
    assertThat(engine.decide(List.of("hello")).category()).isNull();
  }

  @Test
  void aNewConfigFromTheSupplierSwapsTheEngine() {
    RouterConfig first = TestConfigs.sample();
    AtomicReference<RouterConfig> current = new AtomicReference<>(first);
    DecisionEngines engines = DecisionEngines.keywordOnly(current::get);
    DecisionEngine before = engines.current();
    assertThat(engines.current()).isSameAs(before);
    RouterConfig second = new RouterConfig(first.source(), first.listeners(), first.backends(),
        first.models(), first.reasoningFamilies(), first.categories(), TestConfigs.QWEN,
        first.autoModelNames(), first.routing(), first.classifier());
    current.set(second);
    DecisionEngine after = engines.current();
    assertThat(after).isNotSameAs(before);
    assertThat(after.config()).isSameAs(second);
    assertThat(after.decide(List.of("hello")).model()).isEqualTo(TestConfigs.QWEN);
    assertThat(before.decide(List.of("hello")).model()).as("old snapshot unchanged").isEqualTo(TestConfigs.LLAMA);
  }

  @Test
  void effortComesFromTheScoreThenTheModelThenMedium() {
    RouterConfig base = TestConfigs.sample();
    var models = new java.util.LinkedHashMap<>(base.models());
    models.put(TestConfigs.QWEN, new ModelSpec(TestConfigs.QWEN, "qwen3", "high", null));
    var categories = new java.util.ArrayList<>(base.categories());
    var math = categories.get(0);
    categories.set(0, new io.semroute.config.Category(math.name(), math.description(),
        List.of(new ModelScore(TestConfigs.QWEN, 1.0, true, "low")), math.systemPrompt(), math.keywords(), math.examples()));
    RouterConfig withScoreEffort = new RouterConfig(null, base.listeners(), base.backends(), models,
        base.reasoningFamilies(), categories, base.defaultModel(), base.autoModelNames(), base.routing(), base.classifier());
    assertThat(new DecisionEngine(withScoreEffort, c -> new KeywordClassifier(c.categories()))
        .decide(List.of("integral")).reasoningEffort()).isEqualTo("low");
    RouterConfig withModelEffort = new RouterConfig(null, base.listeners(), base.backends(), models,
        base.reasoningFamilies(), base.categories(), base.defaultModel(), base.autoModelNames(), base.routing(), base.classifier());
    assertThat(new DecisionEngine(withModelEffort, c -> new KeywordClassifier(c.categories()))
        .decide(List.of("integral")).reasoningEffort()).isEqualTo("high");
  }

  @Test
  void aLabelThatIsNotACategoryFallsBackToTheDefault() {
    RouterConfig cfg = TestConfigs.sample();
    Classifier stray = text -> new Classification("astrology", 0.99, java.util.Map.of("astrology", 0.99));
    RoutingDecision d = new DecisionEngine(cfg, c -> stray).decide(List.of("my horoscope"));
    assertThat(d.model()).isEqualTo(TestConfigs.LLAMA);
    assertThat(d.reason()).contains("astrology");
  }
}

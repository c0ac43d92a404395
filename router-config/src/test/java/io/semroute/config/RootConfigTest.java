package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.testkit.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped root config.yaml must load, cover the 14 MMLU-Pro domains and route sensibly. */
class RootConfigTest {
  static final List<String> MMLU_PRO_DOMAINS =
      List.of(
          "biology",
          "business",
          "chemistry",
          "computer science",
          "economics",
          "engineering",
          "health",
          "history",
          "law",
          "math",
          "other",
          "philosophy",
          "physics",
          "psychology");

  static RouterConfig config;

  @BeforeAll
  static void load() {
    config = ConfigLoader.load(Fixtures.repo().resolve("config.yaml"));
  }

  @Test
  void coversTheFourteenDomainsOverTwoModelsOneWithReasoning() {
    assertThat(config.categories())
        .extracting(Category::name)
        .containsExactlyInAnyOrderElementsOf(MMLU_PRO_DOMAINS);
    assertThat(config.models()).containsKeys("qwen3-8b", "llama-3.1-8b-instruct");
    assertThat(config.reasoningFamilyOf("qwen3-8b"))
        .get()
        .isEqualTo(
            new ReasoningFamily(
                "qwen3", ReasoningFamily.Type.CHAT_TEMPLATE_KWARGS, "enable_thinking"));
    assertThat(config.reasoningFamilies()).containsKeys("qwen3", "deepseek", "gpt-oss");
    assertThat(config.reasoningFamilyOf("llama-3.1-8b-instruct")).isEmpty();
    assertThat(config.backends())
        .extracting(Backend::address)
        .containsExactly("vllm-qwen:8000", "vllm-llama:8000");
    assertThat(config.listeners()).isEqualTo(Listeners.DEFAULTS);
    assertThat(config.isAutoModel("auto")).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"math", "physics", "chemistry", "engineering", "computer science"})
  void hardDomainsUseTheReasoningModelWithThinking(String domain) {
    ModelScore best = config.category(domain).orElseThrow().bestModel();
    assertThat(best.model()).isEqualTo("qwen3-8b");
    assertThat(best.useReasoning()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"other", "history", "law", "business"})
  void easyDomainsUseTheCheapModel(String domain) {
    assertThat(config.category(domain).orElseThrow().bestModel().model())
        .isEqualTo("llama-3.1-8b-instruct");
    assertThat(config.defaultModel()).isEqualTo("llama-3.1-8b-instruct");
  }

  /** Routing by meaning out of the box: the shipped models, by paths relative to the file. */
  @Test
  void usesTheShippedModels() {
    Path models = Fixtures.repo().resolve("models");
    assertThat(config.classifier().categoryModel().dir()).isEqualTo(models.resolve("category"));
    assertThat(config.classifier().jailbreak().active()).isTrue();
    assertThat(config.classifier().jailbreak().model().dir())
        .isEqualTo(models.resolve("jailbreak"));
    assertThat(config.classifier().pii().enabled()).isTrue();
    assertThat(config.classifier().pii().model().dir()).isEqualTo(models.resolve("pii"));
    // The broad keyword lists were measured to overrule a better model; they live in
    // docs/config-keywords-only.yaml now (KeywordRoutingQualityTest).
    assertThat(config.categories()).allSatisfy(c -> assertThat(c.keywords()).isEmpty());
  }

  /**
   * The root config turns the semantic cache on, in memory, partitioned by x-user-id; exact repeats
   * only (the semantic tier is opt-in: docs/semantic-cache.md, "Measured").
   */
  @Test
  void turnsTheSemanticCacheOnInMemory() {
    SemanticCacheSettings cache = config.semanticCache();
    assertThat(cache.enabled()).isTrue();
    assertThat(cache.backend()).isEqualTo(SemanticCacheSettings.Backend.MEMORY);
    assertThat(cache.tenantHeader()).isEqualTo("x-user-id");
    assertThat(cache.shared()).isFalse();
    assertThat(cache.cacheSampled()).isFalse();
    assertThat(cache.semanticTier()).isFalse();
  }
}

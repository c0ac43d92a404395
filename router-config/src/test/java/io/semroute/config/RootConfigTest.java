package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped root config.yaml must load, cover the 14 MMLU-Pro domains and route sensibly. */
class RootConfigTest {
  static final List<String> MMLU_PRO_DOMAINS =
      List.of(
          "biology", "business", "chemistry", "computer science", "economics", "engineering",
          "health", "history", "law", "math", "other", "philosophy", "physics", "psychology");

  static RouterConfig config;

  @BeforeAll
  static void load() {
    config = ConfigLoader.load(projectRoot().resolve("config.yaml"));
  }

  /** Walks up from the working directory (a module under surefire) to the checkout root. */
  static Path projectRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("config.yaml")) && Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
    }
    throw new IllegalStateException("no project root (config.yaml + mvnw) above " + dir);
  }

  @Test
  void coversTheFourteenDomainsOverTwoModelsOneWithReasoning() {
    assertThat(config.categories()).extracting(Category::name).containsExactlyInAnyOrderElementsOf(MMLU_PRO_DOMAINS);
    assertThat(config.models()).containsKeys("qwen3-8b", "llama-3.1-8b-instruct");
    assertThat(config.reasoningFamilyOf("qwen3-8b"))
        .get()
        .isEqualTo(new ReasoningFamily("qwen3", ReasoningFamily.Type.CHAT_TEMPLATE_KWARGS, "enable_thinking"));
    assertThat(config.reasoningFamilies()).containsKeys("qwen3", "deepseek", "gpt-oss");
    assertThat(config.reasoningFamilyOf("llama-3.1-8b-instruct")).isEmpty();
    assertThat(config.backends()).extracting(Backend::address).containsExactly("vllm-qwen:8000", "vllm-llama:8000");
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
    assertThat(config.category(domain).orElseThrow().bestModel().model()).isEqualTo("llama-3.1-8b-instruct");
    assertThat(config.defaultModel()).isEqualTo("llama-3.1-8b-instruct");
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
    assertThat(bestKeywordCategory(prompt)).as(prompt).contains(expected);
  }

  /** Highest matching rule score wins; declaration order breaks ties (the simplest policy). */
  static Optional<String> bestKeywordCategory(String text) {
    String best = null;
    double bestScore = -1;
    for (Category c : config.categories()) {
      for (KeywordRule r : c.keywords()) {
        if (r.score() > bestScore && r.toPattern().matcher(text).find()) {
          best = c.name();
          bestScore = r.score();
        }
      }
    }
    return Optional.ofNullable(best);
  }
}

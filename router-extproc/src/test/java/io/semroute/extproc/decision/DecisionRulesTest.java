package io.semroute.extproc.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.ConfigException;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decide step with decisions: first match wins, candidates by predicted success, fallbacks. */
class DecisionRulesTest {
  @TempDir Path dir;
  private RouterConfig cfg;

  static final String YAML =
      """
      default_model: small
      reasoning_families:
        qwen3: {type: chat_template_kwargs, parameter: enable_thinking}
      models:
        big: {reasoning_family: qwen3, default_reasoning_effort: low}
        small:
      backends:
        - {name: b, address: h:1, models: [big, small]}
      categories:
        - name: math
          model_scores: [{model: big, score: 1, use_reasoning: true}]
          keywords: [{words: [integral]}]
      signals:
        task_type_model: tt
        outcomes: {model: oc, models: {big: P-big, small: P-small}}
      decisions:
        - name: chat
          when: {task_type: chit_chat}
          model: small
        - name: hard
          when: {all: [{task_type: maths}, {difficulty_at_least: 0.5}]}
          model: big
          use_reasoning: true
          system_prompt: Think.
        - name: learned
          when: {max_turns: 1}
          candidates: [small, big]
          target: 0.6
      """;

  /** A fixed task type per text prefix. */
  static final Classifier TASK =
      text -> {
        String t =
            text.startsWith("hi") ? "chit_chat" : text.startsWith("solve") ? "maths" : "knowledge";
        return new Classification(t, 0.9, Map.of(t, 0.9));
      };

  /**
   * Success from the text: "easy" 0.8 for the small model, else 0.3; big 0.9 ("very hard": 0.2).
   */
  static final SuccessPredictor SUCCESS =
      new SuccessPredictor() {
        public Map<String, Double> predict(String text) {
          if (text.contains("broken")) {
            throw new ClassificationFailedException("outcome model", new RuntimeException("down"));
          }
          return Map.of(
              "P-small",
              text.contains("easy") ? 0.8 : 0.3,
              "P-big",
              text.contains("very hard") ? 0.2 : 0.9,
              "P-other",
              0.1);
        }

        public String choose(Map<String, Double> success, List<String> candidates, double target) {
          // cost order: P-small < P-big
          for (String c : List.of("P-small", "P-big")) {
            if (candidates.contains(c) && success.get(c) >= target) {
              return c;
            }
          }
          return success.get("P-big") >= success.get("P-small") ? "P-big" : "P-small";
        }

        public double defaultTarget() {
          return 0.5;
        }

        public List<String> models() {
          return List.of("P-small", "P-big", "P-other");
        }
      };

  @BeforeEach
  void load() throws Exception {
    for (String f : new String[] {"tt", "oc"}) {
      Files.createDirectories(dir.resolve(f));
      Files.writeString(dir.resolve(f).resolve("config.json"), "{}");
    }
    Path p = dir.resolve("c.yaml");
    Files.writeString(p, YAML);
    cfg = ConfigLoader.load(p);
  }

  private RoutingDecision decide(String... turns) {
    return new DecisionEngine(cfg, new KeywordClassifier(cfg.categories()), TASK, SUCCESS)
        .decide(List.of(turns));
  }

  @Test
  void firstMatchingDecisionWins() {
    RoutingDecision chat = decide("hi there, integral fan here");
    assertThat(chat.model()).isEqualTo("small");
    assertThat(chat.decision()).isEqualTo("chat");
    assertThat(chat.category()).isEqualTo("math"); // the category is still reported
    assertThat(chat.reasoning()).isFalse();
    assertThat(chat.signals().taskType()).isEqualTo("chit_chat");
    assertThat(chat.signals().describe())
        .contains("task_type=chit_chat(0.90)", "turns=1", "success.small=0.30");
  }

  @Test
  void reasoningBySignalsWithTheDecisionsSystemPrompt() {
    RoutingDecision hard = decide("solve this very hard problem");
    assertThat(hard.decision()).isEqualTo("hard");
    assertThat(hard.model()).isEqualTo("big");
    assertThat(hard.reasoning()).isTrue();
    assertThat(hard.reasoningEffort()).isEqualTo("low"); // the model's default
    assertThat(hard.systemPrompt().text()).isEqualTo("Think.");
    assertThat(hard.signals().difficulty()).isCloseTo(0.7, Assertions.within(1e-9));
  }

  @Test
  void candidatesByPredictedSuccess() {
    RoutingDecision easy = decide("what is an easy question");
    assertThat(easy.decision()).isEqualTo("learned");
    assertThat(easy.model()).isEqualTo("small");
    assertThat(easy.reason()).contains("cheapest candidate reaching 0.60");
    RoutingDecision notEasy = decide("what is the capital of somewhere");
    assertThat(notEasy.model()).isEqualTo("big");
    assertThat(notEasy.reasoning()).isFalse();
  }

  @Test
  void noMatchKeepsCategoryRoutingWithSignals() {
    RoutingDecision r = decide("what about integral calculus", "and now an integral please");
    assertThat(r.decision()).isNull();
    assertThat(r.model()).isEqualTo("big");
    assertThat(r.category()).isEqualTo("math");
    assertThat(r.reasoning()).isTrue();
    assertThat(r.signals().turns()).isEqualTo(2);
  }

  @Test
  void aFailedPredictionMakesItsConditionsFalseAndCandidatesFallBackToTheFirst() {
    RoutingDecision r = decide("solve the broken one");
    assertThat(r.decision())
        .isEqualTo("learned"); // hard needs difficulty: false without a prediction
    assertThat(r.model()).isEqualTo("small");
    assertThat(r.reason()).contains("no predicted success");
  }

  @Test
  void signalModelsThatThrowAreTreatedAsFailedNotAsA500() {
    // A bug in a signal model (not a timeout) must not fail the request: as a failed prediction.
    Classifier throwingTask =
        text -> {
          throw new IllegalStateException("task head broke");
        };
    SuccessPredictor throwingSuccess =
        new SuccessPredictor() {
          public Map<String, Double> predict(String text) {
            throw new IllegalStateException("outcome head broke");
          }

          public String choose(
              Map<String, Double> success, List<String> candidates, double target) {
            return SUCCESS.choose(success, candidates, target);
          }

          public double defaultTarget() {
            return SUCCESS.defaultTarget();
          }

          public List<String> models() {
            return SUCCESS.models();
          }
        };
    RoutingDecision r =
        new DecisionEngine(
                cfg, new KeywordClassifier(cfg.categories()), throwingTask, throwingSuccess)
            .decide(List.of("hi, solve this"));
    assertThat(r.signals().taskType()).isNull();
    assertThat(r.decision()).isEqualTo("learned");
    assertThat(r.model()).isEqualTo("small");
    assertThat(r.reason()).contains("no predicted success");
  }

  @Test
  void taskTypesMustBeLabelsOfTheTaskTypeModel() {
    TaskTypeLabels.check(cfg, List.of("chit_chat", "maths", "code"));
    Assertions.assertThatThrownBy(() -> TaskTypeLabels.check(cfg, List.of("chit_chat", "math")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "c.yaml:20: decisions[1]: task_type [maths] is not a label of the task-type model");
  }

  @Test
  void promptSignals() {
    assertThat(PromptSignals.tokens(List.of("abcdefgh", "abcd"))).isEqualTo(3);
    assertThat(PromptSignals.tokens(List.of("你好世界"))).isEqualTo(4);
    assertThat(PromptSignals.script("Привет, как дела?")).isEqualTo("cyrillic");
    assertThat(PromptSignals.script("今日はいい天気ですね")).isEqualTo("hiragana");
    assertThat(PromptSignals.script("你好世界")).isEqualTo("han");
    assertThat(PromptSignals.script("1234 ?!")).isEqualTo("none");
    assertThat(PromptSignals.language("What is the capital of France and how big is it?"))
        .isEqualTo("en");
    assertThat(PromptSignals.language("Wie ist das Wetter heute und was ist mit morgen?"))
        .isEqualTo("de");
    assertThat(PromptSignals.language("Quelle est la capitale de la France et pour qui?"))
        .isEqualTo("fr");
    assertThat(PromptSignals.language("¿Qué es el amor y por qué es importante para la vida?"))
        .isEqualTo("es");
    assertThat(PromptSignals.language("ok")).isEqualTo("und");
    assertThat(PromptSignals.language("Привет")).isEqualTo("ru");
  }
}

package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code signals:} and {@code decisions:}: parsing, condition semantics and file:line:key errors.
 */
class DecisionSettingsTest {
  @TempDir Path dir;

  static final String BASE =
      """
      default_model: small
      reasoning_families:
        qwen3: {type: chat_template_kwargs, parameter: enable_thinking}
      models:
        big: {reasoning_family: qwen3}
        small:
      backends:
        - {name: b, address: h:1, models: [big, small]}
      categories:
        - name: math
          model_scores: [{model: big, score: 1}]
      signals:
        task_type_model: tt
        outcomes:
          model: oc
          models: {big: pool-big, small: pool-small}
      """;

  static final String DECISIONS =
      """
      decisions:
        - name: chat
          when: {any: [{task_type: chit_chat}, {all: [{max_tokens: 8}, {not: {category: math}}]}]}
          model: small
        - name: hard-maths
          when:
            all:
              - task_type: [maths]
              - difficulty_at_least: 0.5
          model: big
          use_reasoning: true
          reasoning_effort: high
          system_prompt: Reason step by step.
        - name: learned
          when: {success_below: {model: small, value: 0.9}}
          candidates: [small, big]
          target: 0.7
      """;

  @BeforeEach
  void folders() throws Exception {
    for (String f : new String[] {"tt", "oc"}) {
      Files.createDirectories(dir.resolve(f));
      Files.writeString(dir.resolve(f).resolve("config.json"), "{}");
    }
  }

  private RouterConfig load(String yaml) throws Exception {
    Path p = dir.resolve("router.yaml");
    Files.writeString(p, yaml);
    return ConfigLoader.load(p);
  }

  private String error(String yaml) throws Exception {
    try {
      load(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException");
  }

  record S(
      String category,
      String taskType,
      int tokens,
      int turns,
      String language,
      String script,
      Map<String, Double> p,
      double difficulty)
      implements Condition.Signals {
    public double success(String model) {
      return p.getOrDefault(model, Double.NaN);
    }
  }

  @Test
  void readsSignalsAndDecisionsInOrder() throws Exception {
    RouterConfig c = load(BASE + DECISIONS);
    DecisionSettings d = c.decisions();
    assertThat(d.taskTypeModel().dir()).isEqualTo(dir.resolve("tt"));
    assertThat(d.outcomeModels())
        .containsExactly(Map.entry("big", "pool-big"), Map.entry("small", "pool-small"));
    assertThat(d.decisions())
        .extracting(Decision::name)
        .containsExactly("chat", "hard-maths", "learned");
    Decision hard = d.decisions().get(1);
    assertThat(hard.useReasoning()).isTrue();
    assertThat(hard.reasoningEffort()).isEqualTo("high");
    assertThat(hard.systemPrompt().text()).isEqualTo("Reason step by step.");
    assertThat(d.decisions().get(2).candidates()).containsExactly("small", "big");
    assertThat(d.decisions().get(2).target()).isEqualTo(0.7);
    assertThat(d.needsTaskType()).isTrue();
    assertThat(d.needsSuccess()).isTrue();
    assertThat(hard.at().line()).isEqualTo(21);

    Condition chat = d.decisions().get(0).when();
    assertThat(chat.test(new S("math", "chit_chat", 100, 1, "en", "latin", Map.of(), Double.NaN)))
        .isTrue();
    assertThat(chat.test(new S(null, "maths", 5, 1, "en", "latin", Map.of(), Double.NaN))).isTrue();
    assertThat(chat.test(new S("math", "maths", 5, 1, "en", "latin", Map.of(), Double.NaN)))
        .isFalse();
    assertThat(chat.test(new S(null, "maths", 9, 1, "en", "latin", Map.of(), Double.NaN)))
        .isFalse();
    Condition hardWhen = hard.when();
    assertThat(hardWhen.test(new S(null, "maths", 9, 1, "en", "latin", Map.of(), 0.6))).isTrue();
    assertThat(hardWhen.test(new S(null, "maths", 9, 1, "en", "latin", Map.of(), Double.NaN)))
        .isFalse();
    Condition learned = d.decisions().get(2).when();
    assertThat(learned.test(new S(null, null, 9, 1, "en", "latin", Map.of("small", 0.5), 0.5)))
        .isTrue();
    assertThat(learned.test(new S(null, null, 9, 1, "en", "latin", Map.of(), Double.NaN)))
        .isFalse();
  }

  @Test
  void withoutTheSectionsThereAreNoDecisions() throws Exception {
    RouterConfig c = load(BASE.substring(0, BASE.indexOf("signals:")));
    assertThat(c.decisions()).isEqualTo(DecisionSettings.NONE);
  }

  @Test
  void errorsNameFileLineAndKey() throws Exception {
    assertThat(error(BASE + DECISIONS.replace("{task_type: chit_chat}", "{task_typ: chit_chat}")))
        .contains(
            "router.yaml:19: decisions[0].when.any[0].task_typ: unknown key 'task_typ'; did you mean 'task_type'?");
    assertThat(
            error(
                BASE
                    + DECISIONS.replace(
                        "model: small\n  - name: hard", "model: smal\n  - name: hard")))
        .contains(":20: decisions[0].model: unknown model 'smal'");
    assertThat(
            error(BASE + DECISIONS.replace("{not: {category: math}}", "{not: {category: maths}}")))
        .contains("decisions[0].when.any[1].all[1].not.category: unknown value 'maths'");
    assertThat(error(BASE + "decisions:\n  - {name: x, model: big, candidates: [big]}\n"))
        .contains("decisions[0]: a decision sets exactly one of 'model' or 'candidates'");
    assertThat(error(BASE.replace("big: {reasoning_family: qwen3}", "big:") + DECISIONS))
        .contains("decisions[1].use_reasoning: model 'big' has no reasoning_family");
    assertThat(error(BASE.replace("small: pool-small", "big2: pool-small") + DECISIONS))
        .contains("signals.outcomes.models.big2: unknown model 'big2'");
    assertThat(
            error(
                BASE.replace("{big: pool-big, small: pool-small}", "{big: pool-big}") + DECISIONS))
        .contains("decisions[2].when.success_below.model: model 'small' has no prediction");
    String noSignals = BASE.substring(0, BASE.indexOf("signals:"));
    assertThat(error(noSignals + DECISIONS))
        .contains("decisions[0].when.any[0].task_type: task_type needs a task-type model");
    assertThat(error(noSignals + "decisions:\n  - {name: x, candidates: [big]}\n"))
        .contains(
            "decisions[0].candidates: choosing among candidates needs predicted success: set signals.outcomes");
    assertThat(error(BASE + DECISIONS.replace("target: 0.7", "target: 1.5")))
        .contains("decisions[2].target: must be between 0 and 1");
    assertThat(error(BASE + DECISIONS.replace("name: learned", "name: chat")))
        .contains("duplicate decision name 'chat'");
    assertThat(error(BASE + "decisions:\n  - {name: x, model: big, when: {script: klingon}}\n"))
        .contains("decisions[0].when.script: unknown value 'klingon'");
    assertThatThrownBy(() -> load(BASE.replace("model: oc", "model: missing") + DECISIONS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("signals.outcomes.model");
  }
}

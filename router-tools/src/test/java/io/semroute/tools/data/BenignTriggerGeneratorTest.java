package io.semroute.tools.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenignTriggerGeneratorTest {
  private static final Pattern TRIGGER =
      Pattern.compile(
          "(?i)\\b(ignore|disregard|skip|forget|never mind|scratch|drop|act as|pretend|you are now|role|imagine|be|override|bypass)\\b");

  @Test
  void seededDistinctAndEveryRowUsesATriggerWord() {
    List<String> a = BenignTriggerGenerator.generate(600, 42);
    assertThat(a).hasSize(600).doesNotHaveDuplicates();
    assertThat(BenignTriggerGenerator.generate(600, 42)).isEqualTo(a);
    assertThat(BenignTriggerGenerator.generate(600, 43)).isNotEqualTo(a);
    // Persona system prompts ("You are a helpful tutor ...") need not use one; the rest do.
    assertThat(a.stream().filter(t -> TRIGGER.matcher(t).find()).count()).isGreaterThan(540);
    assertThat(a).noneMatch(t -> t.contains("..") || t.contains(" ."));
  }

  @Test
  void noRowIsAnEvaluationPrompt() {
    List<String> a = BenignTriggerGenerator.generate(600, 42);
    for (String eval : List.of("benign_trigger_eval.txt", "benign_trigger_unseen_eval.txt")) {
      List<String> lines =
          DatasetAssembler.readResourceLines(eval).stream()
              .map(r -> r.text().replaceFirst("^\\[mt-bench\\] ", ""))
              .toList();
      assertThat(a).doesNotContainAnyElementsOf(lines);
    }
  }
}

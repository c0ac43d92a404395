package io.semroute.tools.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BenignSupportGeneratorTest {
  @Test
  void seededAndDistinct() {
    List<String> a = BenignSupportGenerator.generate(500, 42);
    assertThat(a).hasSize(500).doesNotHaveDuplicates();
    assertThat(BenignSupportGenerator.generate(500, 42)).isEqualTo(a);
    assertThat(a)
        .anyMatch(t -> t.contains("password"))
        .anyMatch(t -> t.startsWith("Rewrite your last answer"));
  }

  @Test
  void noRowIsAnEvaluationPromptOrOneOfTheEndToEndChecks() {
    Set<String> rows =
        BenignSupportGenerator.generate(500, 42).stream()
            .map(TextKey::of)
            .collect(Collectors.toSet());
    for (String eval : List.of("benign_trigger_real_eval.txt", "benign_account_support_eval.txt")) {
      assertThat(DatasetAssembler.readTaggedLines(eval))
          .noneMatch(r -> rows.contains(TextKey.of(r.text())));
    }
    // GuardPolicyEndToEndTest's password questions stay unseen.
    assertThat(rows)
        .doesNotContain(
            TextKey.of("How do I reset my password?"),
            TextKey.of("I forgot my password, how do I change it?"));
  }
}

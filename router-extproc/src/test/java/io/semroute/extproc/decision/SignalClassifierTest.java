package io.semroute.extproc.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.Category;
import io.semroute.config.KeywordRule;
import io.semroute.config.ModelScore;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How signals combine. A keyword classifier stands in for the category model here (it is a real
 * classifier with known scores), so each rule of the policy can be shown with exact numbers.
 */
class SignalClassifierTest {
  static Category category(String name, double score, String... words) {
    List<KeywordRule> rules =
        words.length == 0 ? List.of() : List.of(new KeywordRule(List.of(words), List.of(), score));
    return new Category(
        name, "", List.of(new ModelScore("m", 1.0, false, null)), null, rules, List.of());
  }

  // "The model": labels math and history.
  final Classifier model =
      new KeywordClassifier(
          List.of(category("math", 0.9, "integral"), category("history", 0.6, "empire")));
  final Set<String> labels = Set.of("math", "history");
  final List<String> order = List.of("math", "history", "cooking");

  @Test
  void eachCategoryTakesItsHighestSignal() {
    // An explicit rule for a category the model knows: max(model, rule).
    Classifier explicit = new KeywordClassifier(List.of(category("history", 0.95, "pharaoh")));
    SignalClassifier c = new SignalClassifier(order, model, labels, List.of(explicit));
    assertThat(c.classify("the integral of the pharaoh").category())
        .isEqualTo("history"); // 0.95 > 0.9
    Classifier weak = new KeywordClassifier(List.of(category("history", 0.7, "pharaoh")));
    Classification r =
        new SignalClassifier(order, model, labels, List.of(weak))
            .classify("the integral of the pharaoh");
    assertThat(r.category()).isEqualTo("math"); // a 0.7 rule never overrules a model at 0.9
    assertThat(r.scores().get("history")).isEqualTo(0.7);
  }

  @Test
  void anExplicitMatchForADomainTheModelDoesNotKnowLeavesTheModelOut() {
    Classifier explicit = new KeywordClassifier(List.of(category("cooking", 0.5, "oven")));
    SignalClassifier c = new SignalClassifier(order, model, labels, List.of(explicit));
    Classification r = c.classify("the integral of the oven temperature");
    assertThat(r.category()).isEqualTo("cooking");
    assertThat(r.confidence()).isEqualTo(0.5);
    assertThat(r.scores()).doesNotContainKey("physics");
    // Without that match the model decides as usual.
    assertThat(c.classify("the integral of x").category()).isEqualTo("math");
    assertThat(c.classify("nothing to see").hasCategory()).isFalse();
  }
}

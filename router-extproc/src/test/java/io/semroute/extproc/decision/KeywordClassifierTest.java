package io.semroute.extproc.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.extproc.TestConfigs;
import org.junit.jupiter.api.Test;

class KeywordClassifierTest {
  private final KeywordClassifier classifier =
      new KeywordClassifier(TestConfigs.sample().categories());

  @Test
  void matchesWordsCaseInsensitivelyOnWordEdges() {
    Classification c = classifier.classify("What is the DERIVATIVE of sin(x)?");
    assertThat(c.category()).isEqualTo("math");
    assertThat(c.confidence()).isEqualTo(0.9);
    assertThat(classifier.classify("derivatives markets crashed").hasCategory())
        .as("'derivatives' is not the word 'derivative'")
        .isFalse();
  }

  @Test
  void phrasesMatchAcrossAnyWhitespace() {
    assertThat(classifier.classify("is 97 a prime\n  number?").category()).isEqualTo("math");
    assertThat(classifier.classify("prime numbers").hasCategory()).isFalse();
  }

  @Test
  void regexRulesMatch() {
    assertThat(classifier.classify("compute d/dx of x squared").category()).isEqualTo("math");
  }

  @Test
  void scoresCoverEveryCategoryAndTheBestRuleWins() {
    Classification c = classifier.classify("quantum energy levels");
    assertThat(c.scores()).containsOnlyKeys("math", "biology", "physics");
    assertThat(c.scores().get("physics")).isEqualTo(0.8);
    assertThat(c.scores().get("math")).isZero();
    assertThat(c.category()).isEqualTo("physics");
  }

  @Test
  void noMatchMeansNoCategory() {
    Classification c = classifier.classify("write me a poem");
    assertThat(c.hasCategory()).isFalse();
    assertThat(c.confidence()).isZero();
  }

  @Test
  void tiesGoToTheCategoryDeclaredFirst() {
    // math (0.9) and physics: give both a hit; math's 0.9 beats physics' 0.8; with equal scores
    // the earlier category would win.
    Classification c = classifier.classify("the integral of momentum");
    assertThat(c.category()).isEqualTo("math");
  }
}

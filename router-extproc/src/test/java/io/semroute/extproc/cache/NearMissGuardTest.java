package io.semroute.extproc.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NearMissGuardTest {
  @Test
  void refusesWhatEmbeddingsBlur() {
    assertThat(NearMissGuard.why("Is 91 a prime number?", "Is 97 a prime number?"))
        .isEqualTo("numbers differ");
    assertThat(
            NearMissGuard.why("How many grams are in a pound?", "How many grams are in an ounce?"))
        .isEqualTo("units differ");
    assertThat(
            NearMissGuard.why(
                "Which medications can I take with alcohol?",
                "Which medications can't I take with alcohol?"))
        .isEqualTo("negation differs");
    assertThat(NearMissGuard.why("How do I enable 2FA?", "How do I disable 2FA?"))
        .isEqualTo("opposite words");
    assertThat(NearMissGuard.why("Is it safe?", "Is it unsafe?")).isEqualTo("opposite words");
    assertThat(
            NearMissGuard.why("Convert 10 miles to kilometers.", "Convert 10 kilometers to miles."))
        .isNotNull();
    assertThat(NearMissGuard.why("translate english to french", "translate french to english"))
        .isEqualTo("shared words in another order");
  }

  @Test
  void letsParaphrasesThrough() {
    assertThat(
            NearMissGuard.why(
                "What is the capital of France?", "What's the capital city of France?"))
        .isNull();
    assertThat(NearMissGuard.why("How do I reset my password?", "How can I reset my password?"))
        .isNull();
    assertThat(NearMissGuard.why("Why is the sky blue?", "What makes the sky look blue?")).isNull();
  }
}

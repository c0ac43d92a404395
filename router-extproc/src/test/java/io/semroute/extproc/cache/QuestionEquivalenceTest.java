package io.semroute.extproc.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** QuestionEquivalence with the real WordNet 3.1: what it accepts, and what it turns away. */
class QuestionEquivalenceTest {
  static final QuestionEquivalence EQ = QuestionEquivalence.shared();

  static QuestionEquivalence.Verdict compare(String a, String b) {
    QuestionEquivalence.Verdict v = EQ.compare(a, b);
    assertThat(EQ.compare(b, a).same()).as("symmetric: %s | %s", a, b).isEqualTo(v.same());
    return v;
  }

  @Test
  void rewordingsOfTheSameQuestionAreTheSame() {
    assertThat(compare("How do I reset my password?", "How can I reset my password?").how())
        .isEqualTo("same words");
    assertThat(
            compare("How do I reverse lists in Python?", "How do I reverse a list in Python?")
                .same())
        .as("inflection")
        .isTrue();
    assertThat(compare("Is a blue whale big?", "Is a blue whale large?").how())
        .isEqualTo("wordnet big=large");
    assertThat(
            compare("Summarize the plot of Hamlet.", "Give me a summary of the plot of Hamlet.")
                .same())
        .as("derivation, and 'give me' frames the request")
        .isTrue();
    assertThat(
            compare("What is my credit score?", "Can you tell me what my credit score is?").same())
        .as("'can you tell me' is how it is asked, not about whom")
        .isTrue();
  }

  @Test
  void oneWordThatChangesTheAnswerIsNeverTheSame() {
    assertThat(
            compare("Which city is closer to London?", "Which city is farther from London?").same())
        .isFalse();
    assertThat(
            compare("Is a whale bigger than an elephant?", "Is a whale smaller than an elephant?")
                .reason())
        .isEqualTo("\"bigger\" not matched");
    assertThat(compare("What can I eat on a keto diet?", "What can I eat on a vegan diet?").same())
        .isFalse();
    assertThat(compare("Daily calorie intake for men?", "Daily calorie intake for women?").same())
        .isFalse();
    assertThat(
            compare(
                    "What is the maximum dose of ibuprofen for an adult?",
                    "What is the maximum dose of ibuprofen for a child?")
                .same())
        .isFalse();
    assertThat(compare("How many seconds in a day?", "How many minutes in a day?").same())
        .as("synonyms only in a rare sense (moment)")
        .isFalse();
    assertThat(compare("What is your name?", "What is my name?").reason())
        .isEqualTo("about another person");
    assertThat(compare("Flights to Boston", "Flights from Boston").same()).isFalse();
    assertThat(compare("Is 91 prime?", "Is 97 prime?").reason()).isEqualTo("numbers differ");
    assertThat(compare("Translate English to Spanish", "Translate Spanish to English").reason())
        .isEqualTo("shared words in another order");
  }

  @Test
  void tokensSplitContractionsAndKeepSymbols() {
    assertThat(QuestionEquivalence.tokens("Isn't x > 5?"))
        .containsExactly("is", "not", "x", ">", "5");
  }
}

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
        .isEqualTo("\"bigger\" compares");
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
  void wordsLeftUnmatchedThatOnlyRewordTheRequestAreAllowed() {
    QuestionEquivalence.Verdict v =
        compare("i would like to look up my credit score please", "i gotta know my credit score");
    assertThat(v.same()).isTrue();
    assertThat(v.how()).isEqualTo("no conflict: look up / gotta");
    assertThat(
            compare("How do I look up my credit score?", "Can you tell me my credit score?").how())
        .isEqualTo("no conflict: look up / ");
  }

  @Test
  void anUnmatchedWordThatAsksSomethingElseIsAConflict() {
    assertThat(compare("is there a holiday next week", "is there a holiday this week").reason())
        .as("time relative to now")
        .isEqualTo("\"next\" not matched");
    assertThat(compare("send mike my exact location", "receive mike my exact location").same())
        .as("a verb that is not a way of asking")
        .isFalse();
    assertThat(compare("Who wrote Hamlet?", "Who directed Hamlet?").same()).isFalse();
    assertThat(compare("How do I raise my credit score?", "What is my credit score?").same())
        .as("a verb on one side only")
        .isFalse();
    assertThat(
            compare(
                    "What is the maximum dose of ibuprofen?",
                    "What is the maximum dose of ibuprofen for a child?")
                .reason())
        .as("who it is for, added on one side")
        .isEqualTo("\"child\" (noun.person) not matched");
    assertThat(compare("set my language to spanish", "set my language to japanese").reason())
        .as("a name WordNet writes with a capital, typed in lower case")
        .isEqualTo("\"spanish\" is a name");
    assertThat(compare("How do I sort a list in Python?", "How do I sort a list in Go?").reason())
        .isEqualTo("\"python\" is a name");
    assertThat(compare("What are the risks of a keto diet?", "What is a keto diet?").same())
        .isFalse();
    assertThat(compare("what is my credit score", "what is my credit card limit").reason())
        .as("two different nouns, one on each side")
        .isEqualTo("\"card\" (noun.artifact) not matched");
    assertThat(compare("what is a breakfast", "what is a healthy breakfast").reason())
        .as("a quality added on one side")
        .isEqualTo("\"healthy\" (a quality) not matched");
    assertThat(compare("what's my income", "can i have more information about my income").reason())
        .isEqualTo("\"more\" compares");
    assertThat(
            compare("How do I reset my password?", "How do I reset my password remotely?").reason())
        .as("another way of doing it")
        .isEqualTo("\"remotely\" (a manner) not matched");
  }

  @Test
  void namesMatchOnlyThemselvesAndTheTenseMustAgree() {
    assertThat(compare("What does HTTP stand for?", "What does HTTPS stand for?").reason())
        .as("not a plural of HTTP")
        .isEqualTo("\"http\" is a name");
    assertThat(compare("what is my credit score", "what was my credit score").reason())
        .isEqualTo("another time (tense)");
    assertThat(compare("What will the weather be?", "What is the weather?").same()).isFalse();
    assertThat(compare("Will you tell me my credit score?", "What is my credit score?").same())
        .as("'will you tell me' frames the request")
        .isTrue();
  }

  @Test
  void aWordSwappedForOneTheOtherSideAlreadyUsesIsStillUnmatched() {
    assertThat(
            compare(
                    "help me transfer $100 from my checking to saving account",
                    "help me transfer $100 from my savings to saving account")
                .same())
        .isFalse();
    assertThat(
            compare(
                    "for every three steps forward, he takes two steps backwards",
                    "for every three steps backward, he takes two steps backwards")
                .same())
        .isFalse();
  }

  static boolean sameByHardRules(String a, String b) {
    boolean ab = EQ.examine(a, b, true).verdict().same();
    assertThat(EQ.examine(b, a, true).verdict().same())
        .as("symmetric: %s | %s", a, b)
        .isEqualTo(ab);
    return ab;
  }

  @Test
  void hardRulesAloneStillRefuseOneWordChangesAndLeaveLooseRewordingsOpen() {
    assertThat(
            sameByHardRules(
                "Which city is closer to London?", "Which city is farther from London?"))
        .isFalse();
    assertThat(
            sameByHardRules(
                "Is a whale bigger than an elephant?", "Is a whale smaller than an elephant?"))
        .isFalse();
    assertThat(sameByHardRules("What can I eat on a keto diet?", "What can I eat on a vegan diet?"))
        .as("one place changed: every rule applies")
        .isFalse();
    assertThat(sameByHardRules("Daily calorie intake for men?", "Daily calorie intake for women?"))
        .isFalse();
    assertThat(
            sameByHardRules(
                "What is the maximum dose of ibuprofen for an adult?",
                "What is the maximum dose of ibuprofen for a child?"))
        .isFalse();
    assertThat(sameByHardRules("what's my credit rating", "how's my credit score"))
        .as("sister terms, in either order")
        .isFalse();
    assertThat(sameByHardRules("who made you", "which company is responsible for your design"))
        .as("left to a learned check")
        .isTrue();
    assertThat(compare("who made you", "which company is responsible for your design").same())
        .as("the full check refuses it")
        .isFalse();
  }

  @Test
  void oneSlotMeansOnePlaceOfAtMostThreeTokensDiffers() {
    assertThat(
            QuestionEquivalence.oneSlot(
                QuestionEquivalence.tokens("what can i eat on a keto diet"),
                QuestionEquivalence.tokens("what can i eat on a low carb vegan diet")))
        .isTrue();
    assertThat(
            QuestionEquivalence.oneSlot(
                QuestionEquivalence.tokens("who made you"),
                QuestionEquivalence.tokens("which company is responsible for your design")))
        .isFalse();
  }

  @Test
  void tokensSplitContractionsAndKeepSymbols() {
    assertThat(QuestionEquivalence.tokens("Isn't x > 5?"))
        .containsExactly("is", "not", "x", ">", "5");
  }
}

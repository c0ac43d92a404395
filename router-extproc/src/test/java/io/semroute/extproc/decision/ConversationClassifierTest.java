package io.semroute.extproc.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.extproc.TestConfigs;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ConversationClassifierTest {
  private final ConversationClassifier conversation =
      new ConversationClassifier(new KeywordClassifier(TestConfigs.sample().categories()), 0.6);

  @Test
  void aFollowUpWithoutSignalStaysWithTheConversationTopic() {
    Classification c =
        conversation.classify(
            List.of(
                "What is the integral of x^2?", "Thanks! Can you explain the second step again?"));
    assertThat(c.category()).isEqualTo("math");
    assertThat(c.confidence()).isEqualTo(0.9);
  }

  @Test
  void aClearChangeOfTopicInTheLatestTurnWins() {
    Classification c =
        conversation.classify(
            List.of(
                "What is the integral of x^2?",
                "What is a polynomial?",
                "Different question: how does photosynthesis work?"));
    assertThat(c.category()).isEqualTo("biology");
  }

  @Test
  void olderTurnsWeighLess() {
    Classification c =
        conversation.classify(List.of("Explain photosynthesis", "and the integral of that curve?"));
    // latest math 0.9*1, older biology 0.85*0.5, normalised by 1.5
    assertThat(c.category()).isEqualTo("math");
    assertThat(c.scores().get("math")).isCloseTo(0.6, Offset.offset(1e-9));
    assertThat(c.scores().get("biology")).isCloseTo(0.85 * 0.5 / 1.5, Offset.offset(1e-9));
  }

  @Test
  void onlyTheLastFourUserTurnsCount() {
    Classification c =
        conversation.classify(List.of("integral please", "hello", "hi", "ok", "sure"));
    assertThat(c.hasCategory()).isFalse();
  }

  @Test
  void weakSignalsAreNotInformative() {
    // "energy" scores 0.4 (< 0.6): the latest turn decides alone and is below threshold.
    Classification c = conversation.classify(List.of("energy?"));
    assertThat(c.category()).isEqualTo("physics");
    assertThat(c.confidence()).isEqualTo(0.4);
  }

  @Test
  void longTurnsAreClassifiedOnTheirHeadAndTail() {
    String filler = "lorem ipsum ".repeat(20_000);
    assertThat(conversation.classify(List.of(filler + "what is the integral?")).category())
        .isEqualTo("math");
    assertThat(conversation.classify(List.of("Photosynthesis question: " + filler)).category())
        .isEqualTo("biology");
    assertThat(conversation.classify(List.of(filler + " integral " + filler)).hasCategory())
        .as("a keyword buried in the middle of pasted context is not seen")
        .isFalse();
  }

  @Test
  void aCatchAllTurnDoesNotPullTheConversationAwayFromItsDomain() {
    // "biology" stands in for the catch-all category (the shipped model's "other").
    ConversationClassifier withCatchAll =
        new ConversationClassifier(
            new KeywordClassifier(TestConfigs.sample().categories()), 0.6, "biology");
    List<String> turns =
        List.of("What is the integral of x^2?", "Nice. Unrelated: how does photosynthesis work?");
    assertThat(withCatchAll.classify(turns).category()).isEqualTo("math");
    assertThat(conversation.classify(turns).category())
        .as("without a catch-all the latest turn's own category wins")
        .isEqualTo("biology");
  }

  @Test
  void aConversationOfCatchAllTurnsOnlyKeepsTheCatchAll() {
    ConversationClassifier withCatchAll =
        new ConversationClassifier(
            new KeywordClassifier(TestConfigs.sample().categories()), 0.6, "biology");
    Classification c = withCatchAll.classify(List.of("hello", "photosynthesis, please"));
    assertThat(c.category()).isEqualTo("biology");
    assertThat(c.confidence()).isEqualTo(0.85);
  }
}

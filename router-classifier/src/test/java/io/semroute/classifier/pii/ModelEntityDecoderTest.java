package io.semroute.classifier.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.TokenLabel;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModelEntityDecoderTest {
  private static final String TEXT = "Call Janek Roe at 4111111111111111\nor Ann";

  private static TokenLabel t(String label, int start, int end, float score) {
    return new TokenLabel(TEXT.substring(start, end), label, score, start, end);
  }

  @Test
  void subWordPiecesFollowTheirFirstPieceAndStructuredTypesAreLeftToRecognizers() {
    List<TokenLabel> tokens =
        List.of(
            t("O", 0, 4, 0.9f),
            t("B-PERSON", 5, 8, 0.9f),
            t("B-PERSON", 8, 10, 0.8f), // "jan" "##ek": one word
            t("B-PERSON", 11, 14, 0.7f), // "Roe" after a space: merged
            t("O", 15, 17, 0.9f),
            t("B-CREDIT_CARD", 18, 22, 0.9f),
            t("I-CREDIT_CARD", 22, 34, 0.9f),
            t("O", 35, 37, 0.9f),
            t("B-PERSON", 38, 41, 0.3f)); // below the score floor
    List<PiiEntity> out = new ModelEntityDecoder(Set.of("CREDIT_CARD"), 0.5).decode(TEXT, tokens);
    assertThat(out).extracting(PiiEntity::text).containsExactly("Janek Roe");
    assertThat(out.get(0).origin()).isEqualTo(PiiEntity.Origin.MODEL);
    assertThat(out.get(0).score()).isBetween(0.79, 0.81);
  }

  @Test
  void wordsBetweenKeepEntitiesApart() {
    String text = "Ann and Bob";
    List<TokenLabel> tokens =
        List.of(
            new TokenLabel("ann", "B-PERSON", 0.9f, 0, 3),
            new TokenLabel("and", "O", 0.9f, 4, 7),
            new TokenLabel("bob", "B-PERSON", 0.9f, 8, 11));
    assertThat(new ModelEntityDecoder(Set.of(), 0.5).decode(text, tokens))
        .extracting(PiiEntity::text)
        .containsExactly("Ann", "Bob");
  }

  @Test
  void gluedPunctuationIsAWordOfItsOwn() {
    String text = "Marshall, and Matej's St.";
    List<TokenLabel> tokens =
        List.of(
            new TokenLabel("marshall", "B-PERSON", 0.9f, 0, 8),
            new TokenLabel(",", "O", 0.9f, 8, 9),
            new TokenLabel("and", "O", 0.9f, 10, 13),
            new TokenLabel("matej", "B-PERSON", 0.9f, 14, 19),
            new TokenLabel("'", "O", 0.9f, 19, 20),
            new TokenLabel("s", "O", 0.9f, 20, 21),
            new TokenLabel("st", "B-STREET_ADDRESS", 0.9f, 22, 24),
            new TokenLabel(".", "I-STREET_ADDRESS", 0.9f, 24, 25));
    assertThat(new ModelEntityDecoder(Set.of(), 0.5).decode(text, tokens))
        .extracting(PiiEntity::text)
        .containsExactly("Marshall", "Matej", "St.");
  }

  @Test
  void theTypeIsVotedOverTheWholeEntity() {
    String text = "to Homero Portillo now";
    List<TokenLabel> tokens =
        List.of(
            new TokenLabel("to", "O", 0.9f, 0, 2),
            new TokenLabel("homer", "B-PERSON", 0.7f, 3, 8),
            new TokenLabel("##o", "I-PERSON", 0.9f, 8, 9),
            new TokenLabel("port", "I-GPE", 0.8f, 10, 14),
            new TokenLabel("##illo", "I-ORGANIZATION", 0.9f, 14, 18),
            new TokenLabel("now", "O", 0.9f, 19, 22));
    List<PiiEntity> out = new ModelEntityDecoder(Set.of(), 0.5).decode(text, tokens);
    assertThat(out).extracting(PiiEntity::text).containsExactly("Homero Portillo");
    assertThat(out.get(0).type()).isEqualTo("PERSON");
  }
}

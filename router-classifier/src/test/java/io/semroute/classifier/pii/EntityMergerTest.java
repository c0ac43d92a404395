package io.semroute.classifier.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.pii.PiiEntity.Origin;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityMergerTest {
  private static final String TEXT = "Jane Roe paid with 4111 1111 1111 1111 from jane@example.com";

  private static PiiEntity e(String type, String part, double score, Origin origin) {
    int start = TEXT.indexOf(part);
    return PiiEntity.of(TEXT, type, start, start + part.length(), score, origin);
  }

  @Test
  void validatedPatternBeatsOverlappingModelGuessAndUnrelatedEntitiesSurvive() {
    PiiEntity card = e("CREDIT_CARD", "4111 1111 1111 1111", 1.0, Origin.VALIDATED_PATTERN);
    PiiEntity modelPhone = e("PHONE_NUMBER", "4111 1111", 0.99, Origin.MODEL);
    PiiEntity person = e("PERSON", "Jane Roe", 0.9, Origin.MODEL);
    PiiEntity email = e("EMAIL_ADDRESS", "jane@example.com", 0.95, Origin.PATTERN);
    PiiEntity domainInEmail = e("DOMAIN_NAME", "example.com", 0.6, Origin.PATTERN);

    List<PiiEntity> merged =
        EntityMerger.merge(List.of(modelPhone, email, domainInEmail), List.of(card, person));

    assertThat(merged).containsExactly(person, card, email);
  }

  @Test
  void amongEqualOriginsHigherScoreThenLongerWins() {
    PiiEntity shortHigh = e("PERSON", "Jane", 0.9, Origin.MODEL);
    PiiEntity longLow = e("PERSON", "Jane Roe", 0.8, Origin.MODEL);
    assertThat(EntityMerger.merge(List.of(shortHigh, longLow))).containsExactly(shortHigh);
    PiiEntity longSame = e("PERSON", "Jane Roe", 0.9, Origin.MODEL);
    assertThat(EntityMerger.merge(List.of(shortHigh, longSame))).containsExactly(longSame);
  }

  @Test
  void detectorMergesAllRecognizersWithoutOverlap() {
    String text =
        "Mail jane@example.com or call +1-984-182-0190; card 4454794511390933, IP 10.1.2.3";
    List<PiiEntity> found = PatternPiiDetector.defaults().detect(text);
    assertThat(found)
        .extracting(PiiEntity::type)
        .containsExactly("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IP_ADDRESS");
    for (int i = 1; i < found.size(); i++) {
      assertThat(found.get(i).start()).isGreaterThanOrEqualTo(found.get(i - 1).end());
    }
  }
}

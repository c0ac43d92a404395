package io.semroute.classifier.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EntityEvidenceTest {

  private static PiiEntity e(String text, String type, String covered) {
    int start = text.indexOf(covered);
    return PiiEntity.of(text, type, start, start + covered.length(), 0.9, PiiEntity.Origin.MODEL);
  }

  @Test
  void inATextWithCapitalsANameNeedsOne() {
    String text =
        "Gunther needs to clean his apartment in free time, says Dr. Roe of Acme in Oslo.";
    List<PiiEntity> out =
        EntityEvidence.filter(
            text,
            List.of(
                e(text, "PERSON", "Gunther"),
                e(text, "ORGANIZATION", "free time"),
                e(text, "TITLE", "Dr."),
                e(text, "TITLE", "of"),
                e(text, "ORGANIZATION", "Acme"),
                e(text, "GPE", "Oslo"),
                e(text, "GPE", "apartment")));
    assertThat(out).extracting(PiiEntity::text).containsExactly("Gunther", "Dr.", "Acme", "Oslo");
  }

  @Test
  void aTextTypedInLowerCaseKeepsItsNamesAndTheEmptyStateStaysAPlace() {
    String lower = "my name is jane roe and i live in oslo";
    assertThat(
            EntityEvidence.filter(
                lower, List.of(e(lower, "PERSON", "jane roe"), e(lower, "GPE", "oslo"))))
        .hasSize(2);
    String nan = "Aalborg nan 9100";
    assertThat(EntityEvidence.filter(nan, List.of(e(nan, "GPE", "nan")))).hasSize(1);
  }

  @Test
  void aZipCodeHasAtLeastThreeDigits() {
    String text = "A room of 1,000 sq ft, ZIP: 8592";
    assertThat(
            EntityEvidence.filter(
                text,
                List.of(
                    e(text, "ZIP_CODE", "1"),
                    e(text, "ZIP_CODE", "000"),
                    e(text, "ZIP_CODE", "8592"))))
        .extracting(PiiEntity::text)
        .containsExactly("000", "8592");
  }

  @Test
  void otherTypesAreNotTouched() {
    String text = "I am a cambodian aged 79, card 4111111111111111";
    assertThat(
            EntityEvidence.filter(text, List.of(e(text, "NRP", "cambodian"), e(text, "AGE", "79"))))
        .hasSize(2);
  }

  @Test
  void aNameHasMoreThanOneCharacterAndAnAgeIsSaidToBeOne() {
    String text = "Who take Drug X? Shiloh is 44 years old. Written when he was 78.";
    assertThat(
            EntityEvidence.filter(
                text,
                List.of(
                    e(text, "GPE", "X"),
                    e(text, "PERSON", "Shiloh"),
                    e(text, "AGE", "44"),
                    e(text, "AGE", "78"))))
        .extracting(PiiEntity::text)
        .containsExactly("Shiloh", "44", "78");
    String raft = "There was only enough room for 21 people on a raft.";
    assertThat(EntityEvidence.filter(raft, List.of(e(raft, "AGE", "21")))).isEmpty();
  }

  @Test
  void onlyALowerCaseTextKeepsLowerCaseNamesAndIDoesNotCount() {
    String chat = "my friend john smith said I should ask. is he 34?";
    assertThat(EntityEvidence.writtenWithCapitals(chat)).isFalse();
    assertThat(EntityEvidence.filter(chat, List.of(e(chat, "PERSON", "john smith")))).hasSize(1);
    assertThat(EntityEvidence.writtenWithCapitals("Tim decides to watch a movie in his free time."))
        .isTrue();
    String age = "I'm 34 and have diabetes";
    assertThat(EntityEvidence.filter(age, List.of(e(age, "AGE", "34")))).hasSize(1);
    String uk = "Post it to M1 1AE, thanks";
    assertThat(EntityEvidence.filter(uk, List.of(e(uk, "ZIP_CODE", "M1 1AE")))).hasSize(1);
  }
}

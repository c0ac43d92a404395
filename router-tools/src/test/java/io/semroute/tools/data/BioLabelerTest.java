package io.semroute.tools.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BioLabelerTest {

  // "My name is Jane Roe ." tokenised with sub-words: [CLS] my name is ja ##ne roe . [SEP]
  private static final List<int[]> OFFSETS =
      List.of(
          new int[] {0, 0},
          new int[] {0, 2},
          new int[] {3, 7},
          new int[] {8, 10},
          new int[] {11, 13},
          new int[] {13, 15},
          new int[] {16, 19},
          new int[] {19, 20},
          new int[] {0, 0});

  @Test
  void spansBecomeBioTagsAndSpecialTokensAreIgnored() {
    List<String> tags = BioLabeler.label(OFFSETS, List.of(new CharSpan(11, 19, "PERSON")));
    assertThat(tags)
        .containsExactly("", "O", "O", "O", "B-PERSON", "I-PERSON", "I-PERSON", "O", "");
  }

  @Test
  void adjacentSpansOfSameTypeStartAfreshAndDecodeRoundTrips() {
    List<CharSpan> spans = List.of(new CharSpan(11, 15, "PERSON"), new CharSpan(16, 19, "PERSON"));
    List<String> tags = BioLabeler.label(OFFSETS, spans);
    assertThat(tags)
        .containsExactly("", "O", "O", "O", "B-PERSON", "I-PERSON", "B-PERSON", "O", "");
    assertThat(BioLabeler.decode(OFFSETS, tags)).containsExactlyElementsOf(spans);
  }

  @Test
  void decodeReadsStrayInsideTagAsStartAndSplitsOnTypeChange() {
    List<String> tags = List.of("", "I-ORG", "O", "O", "B-PERSON", "I-GPE", "I-GPE", "O", "");
    assertThat(BioLabeler.decode(OFFSETS, tags))
        .containsExactly(
            new CharSpan(0, 2, "ORG"), new CharSpan(11, 13, "PERSON"), new CharSpan(13, 19, "GPE"));
  }
}

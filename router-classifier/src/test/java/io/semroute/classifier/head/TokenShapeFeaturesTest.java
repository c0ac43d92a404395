package io.semroute.classifier.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.registry.ClassifierRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenShapeFeaturesTest {

  @Test
  void shapeFeaturesSeeCaseTheUncasedEncoderLoses() {
    try (var encoder = ClassifierRegistry.builtinEncoder(LoadOptions.DEFAULT.withMaxTokens(64))) {
      var t = encoder.tokenize(List.of("a Rose\nROSE 12b")).get(0);
      float[][] f = TokenShapeFeatures.of(t);
      // [CLS] a rose rose 12 ##b [SEP]
      assertThat(t.tokens()).containsExactly("[CLS]", "a", "rose", "rose", "12", "##b", "[SEP]");
      assertThat(f[0][TokenShapeFeatures.SPECIAL]).isEqualTo(1);
      assertThat(f[1][TokenShapeFeatures.SENTENCE_START]).isEqualTo(1);
      assertThat(f[1][TokenShapeFeatures.WORD_ONE_CHAR]).isEqualTo(1);
      assertThat(f[2][TokenShapeFeatures.WORD_CAPITALISED]).isEqualTo(1);
      assertThat(f[2][TokenShapeFeatures.WORD_ALL_UPPER]).isEqualTo(0);
      assertThat(f[3][TokenShapeFeatures.WORD_ALL_UPPER]).isEqualTo(1);
      assertThat(f[3][TokenShapeFeatures.AFTER_LINE_BREAK]).isEqualTo(1);
      assertThat(f[4][TokenShapeFeatures.ALL_DIGITS]).isEqualTo(1);
      assertThat(f[4][TokenShapeFeatures.STARTS_WORD]).isEqualTo(1);
      assertThat(f[5][TokenShapeFeatures.STARTS_WORD]).isEqualTo(0);
      assertThat(f[5][TokenShapeFeatures.HAS_DIGIT]).isEqualTo(0);
      assertThat(f[5][TokenShapeFeatures.WORD_ALL_LOWER]).isEqualTo(1);
      assertThat(f[2][TokenShapeFeatures.TEXT_ALL_LOWER]).isEqualTo(0);
    }
  }
}

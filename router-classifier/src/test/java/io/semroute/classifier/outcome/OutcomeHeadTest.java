package io.semroute.classifier.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeHeadTest {
  @Test
  void predictsSigmoidOfTheStandardisedDotProduct() {
    OutcomeHead h =
        new OutcomeHead(
            List.of("a", "b"),
            new float[] {1, 2},
            new float[] {2, 4},
            new float[][] {{1, 0}, {0.5f, -1}},
            new float[] {0, 0.25f});
    double[] p = h.predict(new float[] {3, 6}); // z = (1, 1)
    assertThat(p[0]).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-9));
    assertThat(p[1]).isCloseTo(1 / (1 + Math.exp(-(0.25 + 0.5 - 1))), within(1e-9));
  }

  @Test
  void refusesMismatchedShapes() {
    assertThatThrownBy(
            () ->
                new OutcomeHead(
                    List.of("a"), new float[2], new float[2], new float[][] {{1}}, new float[1]))
        .isInstanceOf(IllegalArgumentException.class);
    OutcomeHead h =
        new OutcomeHead(
            List.of("a"), new float[2], new float[] {1, 1}, new float[][] {{1, 1}}, new float[1]);
    assertThatThrownBy(() -> h.predict(new float[3])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void featuresAppendPromptShape() {
    float[] f = OutcomeFeatures.of(new float[] {0.5f}, "ab\ncd");
    assertThat(f).hasSize(1 + OutcomeFeatures.EXTRA);
    assertThat(f[1]).isCloseTo((float) Math.log1p(5), within(1e-6f));
    assertThat(f[2]).isCloseTo((float) Math.log(2), within(1e-6f));
  }
}

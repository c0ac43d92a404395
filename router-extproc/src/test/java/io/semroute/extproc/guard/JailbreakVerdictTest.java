package io.semroute.extproc.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JailbreakVerdictTest {
  @Test
  void blockAtOrAboveTheBlockThresholdFlagInTheBandBelowPassUnderIt() {
    assertThat(JailbreakVerdict.of(0.95, 0.9, 0.5))
        .isEqualTo(new JailbreakVerdict(true, false, 0.95));
    assertThat(JailbreakVerdict.of(0.9, 0.9, 0.5))
        .isEqualTo(new JailbreakVerdict(true, false, 0.9));
    assertThat(JailbreakVerdict.of(0.7, 0.9, 0.5))
        .isEqualTo(new JailbreakVerdict(false, true, 0.7));
    assertThat(JailbreakVerdict.of(0.5, 0.9, 0.5))
        .isEqualTo(new JailbreakVerdict(false, true, 0.5));
    assertThat(JailbreakVerdict.of(0.49, 0.9, 0.5))
        .isEqualTo(new JailbreakVerdict(false, false, 0.49));
    // No band (flag == block): never flagged.
    assertThat(JailbreakVerdict.of(0.6, 0.5, 0.5).flagged()).isFalse();
    assertThat(JailbreakVerdict.of(0.4, 0.5, 0.5)).isEqualTo(new JailbreakVerdict(false, 0.4));
  }

  @Test
  void aVerdictIsNotBothBlockedAndFlagged() {
    assertThatThrownBy(() -> new JailbreakVerdict(true, true, 0.99))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

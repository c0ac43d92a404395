package io.semroute.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuardThresholdReportTest {
  private static final List<GuardThresholdReport.Row> ROWS =
      List.of(
          new GuardThresholdReport.Row("a", "benign", 0.10),
          new GuardThresholdReport.Row("a", "benign", 0.60),
          new GuardThresholdReport.Row("b", "benign", 0.95),
          new GuardThresholdReport.Row("b", "jailbreak", 0.99),
          new GuardThresholdReport.Row("b", "jailbreak", 0.70),
          new GuardThresholdReport.Row("b", "jailbreak", 0.20));

  @Test
  void countsBenignRefusedAndAttacksCaughtAtOrAboveEachThreshold() {
    GuardThresholdReport r = new GuardThresholdReport(ROWS, new double[] {0.5, 0.9});
    assertThat(r.counts(0.5, null)).isEqualTo(new GuardThresholdReport.Counts(2, 3, 2, 3));
    assertThat(r.counts(0.9, null)).isEqualTo(new GuardThresholdReport.Counts(1, 3, 1, 3));
    assertThat(r.counts(0.6, "a")).isEqualTo(new GuardThresholdReport.Counts(1, 2, 0, 0));
    GuardThresholdReport.Counts c = r.counts(0.5, null);
    assertThat(c.precision()).isCloseTo(0.5, within(1e-9));
    assertThat(c.recall()).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(c.f1()).isCloseTo(2 * 0.5 * (2 / 3.0) / (0.5 + 2 / 3.0), within(1e-9));
    String text = r.format();
    assertThat(text).contains("benign 1/2 50.00%").contains("caught 2/3").contains("ALL");
    assertThat(text).contains("t=0.9: attack P 0.5000 R 0.3333 F1 0.4000");
  }
}

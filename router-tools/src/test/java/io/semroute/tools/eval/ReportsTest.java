package io.semroute.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.semroute.tools.data.CharSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {

  @Test
  void classificationMetricsMatchHandComputedValues() {
    List<String> gold = List.of("a", "a", "a", "b", "b", "c");
    List<String> pred = List.of("a", "a", "b", "b", "c", "c");
    ClassificationReport r = ClassificationReport.of(gold, pred);
    assertThat(r.accuracy()).isCloseTo(4.0 / 6, within(1e-9));
    // a: P 2/2 R 2/3 F 0.8; b: P 1/2 R 1/2 F 0.5; c: P 1/2 R 1/1 F 2/3
    assertThat(r.score("a").f1()).isCloseTo(0.8, within(1e-9));
    assertThat(r.score("b").f1()).isCloseTo(0.5, within(1e-9));
    assertThat(r.score("c").f1()).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(r.macroF1()).isCloseTo((0.8 + 0.5 + 2.0 / 3) / 3, within(1e-9));
    assertThat(r.count("a", "b")).isEqualTo(1);
    assertThat(r.count("b", "c")).isEqualTo(1);
    assertThat(r.format()).contains("accuracy 0.6667").contains("confusion matrix");
  }

  @Test
  void entityScoresNeedExactTypeAndBoundaries() {
    EntityReport r = new EntityReport();
    r.add(
        List.of(new CharSpan(0, 4, "PERSON"), new CharSpan(10, 20, "PHONE_NUMBER")),
        List.of(
            new CharSpan(0, 4, "PERSON"),
            new CharSpan(10, 19, "PHONE_NUMBER"),
            new CharSpan(30, 35, "PERSON")));
    assertThat(r.score("PERSON")).isEqualTo(new PrfScore(1, 1, 0));
    assertThat(r.score("PHONE_NUMBER")).isEqualTo(new PrfScore(0, 1, 1));
    assertThat(r.score("PERSON").f1()).isCloseTo(2.0 / 3, within(1e-9));
  }

  @Test
  void textsWithAFalsePositiveAreCountedOncePerText() {
    EntityReport r = new EntityReport();
    r.add(
        List.of(),
        List.of(new CharSpan(0, 3, "PERSON"), new CharSpan(5, 8, "GPE"))); // two false positives
    r.add(List.of(new CharSpan(0, 4, "PERSON")), List.of(new CharSpan(0, 4, "PERSON"))); // right
    r.add(List.of(), List.of()); // nothing
    r.add(List.of(new CharSpan(0, 4, "PERSON")), List.of()); // a miss is no false positive
    assertThat(r.textsWithFalsePositive()).isEqualTo(1);
    assertThat(r.format())
        .contains(
            "texts: 4, with a predicted entity: 2 (50.0 %), with a false positive: 1 (25.0 %)");
  }

  @Test
  void latencyQuantilesUseNearestRank() {
    LatencyStats s = new LatencyStats();
    for (int i = 1; i <= 100; i++) {
      s.record(i * 1_000_000L);
    }
    assertThat(s.quantileMillis(0.5)).isEqualTo(50.0);
    assertThat(s.quantileMillis(0.95)).isEqualTo(95.0);
    assertThat(s.meanMillis()).isCloseTo(50.5, within(1e-9));
  }
}

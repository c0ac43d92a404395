package io.semroute.tools.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingEvaluationTest {
  // models: cheap (cost 1), mid (cost 2), strong (cost 10)
  private static OutcomeData data() {
    List<OutcomeRow> rows = new ArrayList<>();
    // 4 easy prompts every model answers, 4 only mid+strong, 2 only strong
    for (int i = 0; i < 4; i++) {
      rows.add(
          new OutcomeRow(
              "e" + i, "t", "easy " + i, new double[] {1, 1, 1}, new double[] {1, 2, 10}));
      rows.add(
          new OutcomeRow(
              "m" + i, "t", "mid " + i, new double[] {0, 1, 1}, new double[] {1, 2, 10}));
    }
    for (int i = 0; i < 2; i++) {
      rows.add(
          new OutcomeRow(
              "h" + i, "t", "hard " + i, new double[] {0, 0, 1}, new double[] {1, 2, 10}));
    }
    return new OutcomeData(List.of("cheap", "mid", "strong"), rows);
  }

  @Test
  void alwaysOracleAndRandomSharing() {
    RoutingEvaluation e = new RoutingEvaluation(data());
    assertThat(e.always().get(0).accuracy()).isCloseTo(0.4, within(1e-9));
    assertThat(e.always().get(1).accuracy()).isCloseTo(0.8, within(1e-9));
    assertThat(e.always().get(2).accuracy()).isCloseTo(1.0, within(1e-9));
    assertThat(e.cheapest().name()).isEqualTo("cheap");
    assertThat(e.strongest().name()).isEqualTo("strong");
    RoutingEvaluation.Point o = e.oracle();
    assertThat(o.accuracy()).isCloseTo(1.0, within(1e-9));
    assertThat(o.cost()).isCloseTo((4 * 1 + 4 * 2 + 2 * 10) / 10.0, within(1e-9));
    // random sharing cheap/strong at cost 5.5: half the prompts to each
    assertThat(e.randomAt(5.5)).isCloseTo(0.7, within(1e-9));
    assertThat(e.strongShareAt(5.5)).isCloseTo(0.5, within(1e-9));
    // the hull goes cheap -> mid -> strong; at cost 2 it is mid's 0.8
    assertThat(e.hull())
        .extracting(RoutingEvaluation.Point::name)
        .containsExactly("cheap", "mid", "strong");
    assertThat(e.hullAt(2)).isCloseTo(0.8, within(1e-9));
    assertThat(e.hullAt(6)).isCloseTo(0.9, within(1e-9));
    assertThat(e.randomAt(100)).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void perfectPredictionsReachTheOracleAtAMidTarget() {
    OutcomeData d = data();
    double[][] p = d.rows().stream().map(OutcomeRow::score).toArray(double[][]::new);
    RoutingEvaluation e = new RoutingEvaluation(d);
    RoutingEvaluation.CurvePoint at = e.policy(p, new double[] {1, 2, 10}, 0.5);
    assertThat(at.accuracy()).isCloseTo(1.0, within(1e-9));
    assertThat(at.cost()).isCloseTo(e.oracle().cost(), within(1e-9));
    assertThat(at.gain()).isGreaterThan(0);
    List<RoutingEvaluation.CurvePoint> curve = e.curve(p, new double[] {1, 2, 10}, 0.25);
    assertThat(curve).hasSize(5);
    assertThat(curve.get(0).cost()).isCloseTo(1.0, within(1e-9)); // target 0: always the cheapest
  }

  @Test
  void hullDropsModelsThatCostMoreForLess() {
    List<OutcomeRow> rows =
        List.of(
            new OutcomeRow("a", "", "a", new double[] {1, 0, 1}, new double[] {1, 5, 10}),
            new OutcomeRow("b", "", "b", new double[] {0, 0, 1}, new double[] {1, 5, 10}));
    RoutingEvaluation e = new RoutingEvaluation(new OutcomeData(List.of("x", "worse", "y"), rows));
    assertThat(e.hull()).extracting(RoutingEvaluation.Point::name).containsExactly("x", "y");
  }
}

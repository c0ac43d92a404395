package io.semroute.classifier.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CostQualityPolicyTest {
  // cheap, mid, strong
  private final double[] cost = {1, 5, 20};

  @Test
  void takesTheCheapestCandidateReachingTheTarget() {
    double[] p = {0.55, 0.8, 0.95};
    assertThat(CostQualityPolicy.choose(p, cost, 0.5)).isZero();
    assertThat(CostQualityPolicy.choose(p, cost, 0.7)).isEqualTo(1);
    assertThat(CostQualityPolicy.choose(p, cost, 0.9)).isEqualTo(2);
  }

  @Test
  void fallsBackToTheMostLikelyToSucceedWhenNoneReachesIt() {
    double[] p = {0.2, 0.4, 0.3};
    assertThat(CostQualityPolicy.choose(p, cost, 0.9)).isEqualTo(1);
  }

  @Test
  void targetZeroIsAlwaysTheCheapestAndTiesGoToTheCheaper() {
    assertThat(CostQualityPolicy.choose(new double[] {0.0, 0.9, 0.9}, cost, 0)).isZero();
    assertThat(CostQualityPolicy.choose(new double[] {0.1, 0.9, 0.9}, cost, 0.95)).isEqualTo(1);
  }

  @Test
  void onlyCandidatesAreConsidered() {
    double[] p = {0.9, 0.8, 0.95};
    assertThat(CostQualityPolicy.choose(p, cost, List.of(1, 2), 0.7)).isEqualTo(1);
    assertThatThrownBy(() -> CostQualityPolicy.choose(p, cost, List.of(), 0.7))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

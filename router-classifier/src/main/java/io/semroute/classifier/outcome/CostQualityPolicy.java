package io.semroute.classifier.outcome;

import java.util.ArrayList;
import java.util.List;

/**
 * "Cheapest candidate whose predicted success reaches a target, else the most likely to succeed."
 * One knob: the target probability. A target of 0 always picks the cheapest candidate; a target
 * above every prediction picks the most likely to succeed (ties to the cheaper one).
 */
public final class CostQualityPolicy {
  private CostQualityPolicy() {}

  /**
   * @param candidates indices into {@code success} and {@code cost}, any order
   * @return the chosen index
   */
  public static int choose(
      double[] success, double[] cost, List<Integer> candidates, double target) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no candidates");
    }
    int cheapest = -1;
    int best = -1;
    for (int i : candidates) {
      if (success[i] >= target && (cheapest < 0 || cost[i] < cost[cheapest])) {
        cheapest = i;
      }
      if (best < 0
          || success[i] > success[best]
          || (success[i] == success[best] && cost[i] < cost[best])) {
        best = i;
      }
    }
    return cheapest >= 0 ? cheapest : best;
  }

  /** Over all models. */
  public static int choose(double[] success, double[] cost, double target) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < success.length; i++) {
      all.add(i);
    }
    return choose(success, cost, all, target);
  }
}

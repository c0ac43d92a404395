package io.semroute.extproc.decision;

import java.util.List;
import java.util.Map;

/**
 * Predicted success per model of an outcome pool (an outcomes folder; implemented in {@code
 * classifiers}), and the cost-quality policy over it. Names here are the pool's; the decision
 * engine maps configured models to them ({@code signals.outcomes.models}).
 */
public interface SuccessPredictor {
  /**
   * Probability of success per pool model; throws {@link ClassificationFailedException} on failure.
   */
  Map<String, Double> predict(String text);

  /**
   * The cheapest of {@code candidates} (pool names) whose success reaches {@code target}, else the
   * most likely.
   */
  String choose(Map<String, Double> success, List<String> candidates, double target);

  /** The folder's default target. */
  double defaultTarget();

  /** The pool's model names. */
  List<String> models();
}

package io.semroute.extproc.decision;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link Classifier} saw in a text.
 *
 * @param category the winning category, or null when no class applies at all (e.g. no keyword
 *     matched); a null category always has confidence 0
 * @param confidence score of the winning category in [0, 1]
 * @param scores a score for every class the classifier knows, in its declaration order (so callers
 *     can combine several texts; see {@link ConversationClassifier})
 */
public record Classification(String category, double confidence, Map<String, Double> scores) {
  public Classification {
    scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    if (category == null && confidence != 0.0) {
      throw new IllegalArgumentException("a classification without category has confidence 0");
    }
  }

  public boolean hasCategory() {
    return category != null;
  }

  /**
   * The highest score wins; ties go to the class declared first, and all-zero scores mean "no
   * category" rather than an arbitrary first class.
   */
  public static Classification fromScores(Map<String, Double> scores) {
    String best = null;
    double bestScore = 0.0;
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      if (e.getValue() > bestScore) {
        best = e.getKey();
        bestScore = e.getValue();
      }
    }
    return new Classification(best, bestScore, scores);
  }
}

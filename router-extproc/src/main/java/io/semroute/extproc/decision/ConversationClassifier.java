package io.semroute.extproc.decision;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classifies a whole conversation, not only its last message.
 *
 * <p>Policy (also in docs/routing.md): the last {@value #MAX_TURNS} user turns are classified one
 * by one. Turn k back from the latest (k = 0 for the latest) gets weight 2<sup>-k</sup>. A turn is
 * <em>informative</em> when its own best score reaches the confidence threshold; uninformative
 * turns ("thanks, and the second part?") are left out so they cannot drag a conversation to the
 * default model. Each class's combined score is the weighted mean of its scores over the
 * informative turns. With no informative turn the latest turn's own classification is returned.
 *
 * <p>A turn whose best category is the configured catch-all ({@code classifier.catch_all_category},
 * the shipped model's {@code other}) is not informative either: "thanks, and the next one?" gets a
 * fairly confident "other" from a domain model, and a maths conversation must not drop to the cheap
 * model because of it. The request still carries the whole conversation, so keeping its domain is
 * the safe side even when the latest turn really is small talk. A conversation whose turns are all
 * catch-all (or weak) falls back to the latest turn as before.
 *
 * <p>Effects: a follow-up without its own signal stays with the conversation's topic (the reference
 * router's users complained about conversations bouncing between models); a clear change of topic
 * in the latest turn still wins, because the latest turn outweighs all older ones together (1 &gt;
 * 1/2 + 1/4 + 1/8).
 *
 * <p>Long turns are classified on their first {@value LongPrompts#HEAD_CHARS} and last {@value
 * LongPrompts#TAIL_CHARS} characters (head + tail, like the model classifiers' token budget): the
 * signal of a long prompt sits in its instruction, usually at an end, and scanning megabytes of
 * pasted context with every keyword rule would blow Envoy's per-message timeout.
 */
public final class ConversationClassifier {
  static final int MAX_TURNS = 4;

  private final Classifier classifier;
  private final double threshold;
  private final String catchAll;

  public ConversationClassifier(Classifier classifier, double threshold) {
    this(classifier, threshold, null);
  }

  /**
   * @param catchAll the "no particular domain" category, or null when there is none
   */
  public ConversationClassifier(Classifier classifier, double threshold, String catchAll) {
    this.classifier = classifier;
    this.threshold = threshold;
    this.catchAll = catchAll;
  }

  /**
   * @param userTurns user messages in conversation order (oldest first); must not be empty
   */
  public Classification classify(List<String> userTurns) {
    if (userTurns.isEmpty()) {
      throw new IllegalArgumentException("no user turn to classify");
    }
    int from = Math.max(0, userTurns.size() - MAX_TURNS);
    List<String> recent = userTurns.subList(from, userTurns.size());
    // All turns in one call: a model classifier runs them as one batch.
    List<Classification> perTurn =
        classifier.classifyAll(recent.stream().map(LongPrompts::headAndTail).toList());
    Classification latest = null;
    Map<String, Double> weighted = new LinkedHashMap<>();
    double totalWeight = 0.0;
    for (int i = recent.size() - 1, k = 0; i >= 0; i--, k++) {
      Classification c = perTurn.get(i);
      if (k == 0) {
        latest = c;
      }
      if (!informative(c)) {
        continue;
      }
      double w = Math.pow(2, -k);
      totalWeight += w;
      for (Map.Entry<String, Double> e : c.scores().entrySet()) {
        weighted.merge(e.getKey(), w * e.getValue(), Double::sum);
      }
    }
    if (totalWeight == 0.0) {
      return latest;
    }
    final double norm = totalWeight;
    weighted.replaceAll((k, v) -> v / norm);
    return Classification.fromScores(weighted);
  }

  private boolean informative(Classification c) {
    return c.hasCategory() && c.confidence() >= threshold && !c.category().equals(catchAll);
  }
}

package io.semroute.extproc.decision;

import java.util.List;

/**
 * Turns one piece of text into a category: keyword rules, {@code examples:} similarity, the
 * category model ({@code classifiers.LoadedSequenceClassifier}) and their combination ({@link
 * SignalClassifier}) all implement it, so the routing code never learns which signal produced the
 * answer.
 *
 * <p>Implementations must be thread-safe: one instance serves every concurrent stream.
 */
public interface Classifier {
  Classification classify(String text);

  /**
   * Classifies several texts (a conversation's turns). Model-backed classifiers override it to
   * queue all texts at once, so they share one encoder pass instead of waiting turn by turn.
   *
   * @throws ClassificationFailedException when a model could not answer (timeout, overload)
   */
  default List<Classification> classifyAll(List<String> texts) {
    return texts.stream().map(this::classify).toList();
  }
}

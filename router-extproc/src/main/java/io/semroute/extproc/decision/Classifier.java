package io.semroute.extproc.decision;

/**
 * Turns one piece of text into a category. Keyword rules implement it today; model-based
 * classifiers from {@code router-classifier} plug in later through a small adapter, so the
 * routing code never learns which signal produced the answer.
 *
 * <p>Implementations must be thread-safe: one instance serves every concurrent stream.
 */
public interface Classifier {
  Classification classify(String text);
}

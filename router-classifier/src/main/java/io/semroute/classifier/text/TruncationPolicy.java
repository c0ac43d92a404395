package io.semroute.classifier.text;

/**
 * What to keep when a text has more tokens than the model takes.
 *
 * <p>Head + tail: keep the leading special tokens ([CLS]) and trailing ones ([SEP]), the first
 * quarter of the remaining budget from the start of the text and the rest from its end. Prompts
 * usually state the actual ask at the end (after pasted context) and the topic at the start; the
 * head-128 + tail-382 split is also what Sun et al. 2019 ("How to Fine-Tune BERT for Text
 * Classification?") found best for long documents. Dropping tokens is always reported on the result
 * ({@code truncated}) and logged at debug, never silent.
 */
public record TruncationPolicy(int maxTokens, double headFraction) {

  public static final double DEFAULT_HEAD_FRACTION = 0.25;

  public TruncationPolicy {
    if (maxTokens < 4) {
      throw new IllegalArgumentException("max tokens must be at least 4, got " + maxTokens);
    }
    if (headFraction < 0 || headFraction > 1) {
      throw new IllegalArgumentException("head fraction must be within 0..1, got " + headFraction);
    }
  }

  public static TruncationPolicy headAndTail(int maxTokens) {
    return new TruncationPolicy(maxTokens, DEFAULT_HEAD_FRACTION);
  }

  /**
   * Indices of tokens to keep, in order, given which tokens are special; null when nothing needs
   * dropping.
   */
  int[] keep(boolean[] special) {
    int n = special.length;
    if (n <= maxTokens) {
      return null;
    }
    int lead = 0;
    while (lead < n && special[lead]) {
      lead++;
    }
    int trail = 0;
    while (trail < n - lead && special[n - 1 - trail]) {
      trail++;
    }
    int budget = maxTokens - lead - trail;
    if (budget < 0) {
      // Degenerate: more special tokens than room; keep the first maxTokens.
      int[] k = new int[maxTokens];
      for (int i = 0; i < maxTokens; i++) {
        k[i] = i;
      }
      return k;
    }
    int head = (int) Math.floor(budget * headFraction);
    int tail = budget - head;
    int[] k = new int[maxTokens];
    int j = 0;
    for (int i = 0; i < lead + head; i++) {
      k[j++] = i;
    }
    for (int i = n - trail - tail; i < n; i++) {
      k[j++] = i;
    }
    return k;
  }
}

package io.semroute.classifier.text;

/**
 * One text as model input: token ids with special tokens, each token's text and character span in
 * the original string (start inclusive, end exclusive, UTF-16 indices as Java strings use; -1 for
 * special tokens), and whether the truncation policy dropped tokens.
 *
 * @param originalTokenCount tokens before truncation (including special tokens)
 */
public record TokenizedText(
    String text,
    long[] ids,
    String[] tokens,
    int[] charStart,
    int[] charEnd,
    boolean[] special,
    boolean truncated,
    int originalTokenCount) {

  public int length() {
    return ids.length;
  }
}

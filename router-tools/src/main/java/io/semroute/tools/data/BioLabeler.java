package io.semroute.tools.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns character spans into one BIO tag per token, given each token's character offsets as a
 * tokenizer reports them. A token belongs to a span when it overlaps it; the first such token is
 * {@code B-}, the rest {@code I-}. Special tokens (offsets start == end) get {@link #IGNORE}, so
 * the loss skips them. Sub-word pieces of one word all get tags, which is what the decoder in
 * {@link #decode} expects.
 */
public final class BioLabeler {
  /** Tag for tokens that should not count in the loss or in decoding. */
  public static final String IGNORE = "";

  public static final String OUTSIDE = "O";

  private BioLabeler() {}

  /**
   * @param offsets per token {start, end} character offsets into the text (end exclusive)
   */
  public static List<String> label(List<int[]> offsets, List<CharSpan> spans) {
    List<String> tags = new ArrayList<>(offsets.size());
    CharSpan previous = null;
    for (int[] o : offsets) {
      if (o[1] <= o[0]) {
        tags.add(IGNORE);
        continue;
      }
      CharSpan hit = null;
      for (CharSpan s : spans) {
        if (o[0] < s.end() && s.start() < o[1]) {
          hit = s;
          break;
        }
      }
      if (hit == null) {
        tags.add(OUTSIDE);
      } else {
        tags.add((hit == previous ? "I-" : "B-") + hit.label());
      }
      previous = hit;
    }
    return tags;
  }

  /**
   * The inverse: groups consecutive B-/I- tags of one type back into character spans (from the
   * first token's start to the last token's end). An I- without a preceding B- of the same type
   * starts a new span, the usual lenient reading of model output.
   */
  public static List<CharSpan> decode(List<int[]> offsets, List<String> tags) {
    List<CharSpan> spans = new ArrayList<>();
    String type = null;
    int start = -1;
    int end = -1;
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i);
      int[] o = offsets.get(i);
      if (tag.equals(IGNORE) || o[1] <= o[0]) {
        continue;
      }
      boolean begin = tag.startsWith("B-");
      boolean inside = tag.startsWith("I-");
      String t = (begin || inside) ? tag.substring(2) : null;
      if (type != null && (t == null || begin || !t.equals(type))) {
        spans.add(new CharSpan(start, end, type));
        type = null;
      }
      if (t != null && type == null) {
        type = t;
        start = o[0];
      }
      if (t != null) {
        end = o[1];
      }
    }
    if (type != null) {
      spans.add(new CharSpan(start, end, type));
    }
    return spans;
  }
}

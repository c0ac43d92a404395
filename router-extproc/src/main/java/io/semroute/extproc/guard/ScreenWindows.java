package io.semroute.extproc.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * What of a long text the jailbreak guard reads, so any text is screened in bounded time: a text up
 * to {@value #WHOLE_CHARS} characters whole; a longer one as at most {@value #MAX_WINDOWS} windows
 * of {@value #WINDOW_CHARS} characters — its head, its tail, and evenly spaced samples of the
 * middle. The model reads 128 tokens (about 500-600 characters of English) of each window's head
 * and tail and its word n-grams over the whole window, so an instruction at either end of a pasted
 * document is read in full, and one in the middle is sampled. Cost per text is capped at {@value
 * #MAX_WINDOWS} model passes whatever its size.
 */
public final class ScreenWindows {
  public static final int WHOLE_CHARS = 4 * 1024;
  public static final int WINDOW_CHARS = 2 * 1024;
  public static final int MAX_WINDOWS = 8;

  private ScreenWindows() {}

  public static List<String> of(String text) {
    int n = text.length();
    if (n <= WHOLE_CHARS) {
      return List.of(text);
    }
    List<String> out = new ArrayList<>(MAX_WINDOWS);
    out.add(cut(text, 0));
    int middle = MAX_WINDOWS - 2;
    // Window starts spread evenly between the head and the tail window, without overlap where
    // the text is long enough.
    int span = n - 2 * WINDOW_CHARS;
    int count = Math.min(middle, Math.max(0, span / WINDOW_CHARS));
    for (int i = 1; i <= count; i++) {
      long start = WINDOW_CHARS + (long) span * i / (count + 1) - WINDOW_CHARS / 2;
      out.add(cut(text, (int) Math.max(WINDOW_CHARS, Math.min(start, n - 2L * WINDOW_CHARS))));
    }
    out.add(cut(text, n - WINDOW_CHARS));
    return out;
  }

  private static String cut(String text, int start) {
    int end = Math.min(text.length(), start + WINDOW_CHARS);
    // Do not split a surrogate pair at either edge.
    if (start > 0 && Character.isLowSurrogate(text.charAt(start))) {
      start++;
    }
    if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }
}

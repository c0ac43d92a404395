package io.semroute.classifier.pii;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks for cue words shortly before a match ("phone:", "SSN", "version"). Patterns alone cannot
 * tell a phone number from a reference number; a nearby cue word is the cheapest evidence.
 */
final class ContextWords {
  private static final Pattern WORD = Pattern.compile("[\\p{L}]+");

  private final Set<String> words;
  private final int window;
  private final boolean sameLine;

  ContextWords(int window, String... words) {
    this(window, false, words);
  }

  /** With {@code sameLine}, cue words on earlier lines do not count (lists of fields per line). */
  ContextWords(int window, boolean sameLine, String... words) {
    this.window = window;
    this.sameLine = sameLine;
    this.words = Set.of(words);
  }

  /**
   * True when one of the cue words (case-insensitive, whole word) ends within the window before
   * {@code start}.
   */
  boolean before(String text, int start) {
    int from = Math.max(0, start - window);
    if (sameLine) {
      int nl = text.lastIndexOf('\n', start - 1);
      from = Math.max(from, nl + 1);
    }
    Matcher m = WORD.matcher(text.substring(from, start));
    while (m.find()) {
      if (words.contains(m.group().toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }
}

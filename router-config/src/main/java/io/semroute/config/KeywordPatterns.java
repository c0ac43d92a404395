package io.semroute.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns keyword rules into regular expressions, the one definition of how {@code words} and {@code
 * regex} match, shared by config validation and by routing.
 *
 * <ul>
 *   <li>A word or phrase matches case-insensitively on word edges: {@code tort} matches "What is a
 *       tort?" but not "tortoise". Any run of whitespace in a phrase matches any whitespace. Edges
 *       are checked only where the word itself begins/ends with a letter or digit, so {@code c++}
 *       and {@code x^2} work too.
 *   <li>A regex is a Java regular expression, matched case-insensitively anywhere in the text.
 * </ul>
 */
public final class KeywordPatterns {
  static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

  private KeywordPatterns() {}

  /** Regex source for one word or phrase. */
  static String wordSource(String word) {
    String w = word.strip();
    StringBuilder sb = new StringBuilder();
    if (Character.isLetterOrDigit(w.codePointAt(0))) {
      sb.append("(?<![\\p{L}\\p{N}_])");
    }
    String[] parts = w.split("\\s+");
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append("\\s+");
      }
      sb.append(Pattern.quote(parts[i]));
    }
    if (Character.isLetterOrDigit(w.codePointBefore(w.length()))) {
      sb.append("(?![\\p{L}\\p{N}_])");
    }
    return sb.toString();
  }

  /**
   * Compiles a user regex alone, so a syntax error can be reported against its own key.
   *
   * @throws PatternSyntaxException with the JDK's description of the problem
   */
  static Pattern compileRegex(String regex) {
    return Pattern.compile(regex, FLAGS);
  }

  /** One pattern that finds any word or regex of the rule. Compile once, reuse per request. */
  public static Pattern compile(KeywordRule rule) {
    List<String> alternatives = new ArrayList<>();
    for (String w : rule.words()) {
      alternatives.add(wordSource(w));
    }
    for (String r : rule.regex()) {
      alternatives.add("(?:" + r + ")");
    }
    return Pattern.compile(String.join("|", alternatives), FLAGS);
  }
}

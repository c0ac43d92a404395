package io.semroute.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A keyword signal for a category: any of the words/phrases (case-insensitive, matched on word
 * boundaries) or regular expressions (case-insensitive) matching gives {@code score}.
 */
public record KeywordRule(List<String> words, List<String> regex, double score) {
  public KeywordRule {
    words = List.copyOf(words);
    regex = List.copyOf(regex);
  }

  /**
   * One case-insensitive pattern that finds any of this rule's words or regexes (semantics in
   * {@link KeywordPatterns}). Compiles on each call: compile once per config and keep it.
   */
  public Pattern toPattern() {
    return KeywordPatterns.compile(this);
  }

  /** Whether the rule matches anywhere in {@code text}; convenience for tests and tools. */
  public boolean matches(String text) {
    return text != null && toPattern().matcher(text).find();
  }
}

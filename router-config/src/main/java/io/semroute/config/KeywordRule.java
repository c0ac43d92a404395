package io.semroute.config;

import java.util.List;

/**
 * A keyword signal for a category: any of the words/phrases (case-insensitive, matched on word
 * boundaries) or regular expressions (case-insensitive) matching gives {@code score}.
 */
public record KeywordRule(List<String> words, List<String> regex, double score) {
  public KeywordRule {
    words = List.copyOf(words);
    regex = List.copyOf(regex);
  }
}

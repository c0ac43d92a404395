package io.semroute.extproc.decision;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Signals computed from the text alone, without a model: prompt size, the dominant script of its
 * letters and a language guess. Cheap enough to run on every request.
 */
public final class PromptSignals {
  private PromptSignals() {}

  /**
   * Estimated tokens of all user turns: one token per 4 characters (OpenAI's rule of thumb for
   * English; BPE vocabularies of current models land within about 20 % of it on prose), at least 1
   * per non-empty turn. CJK text has about one token per character, so Han, kana and Hangul
   * characters count 1 each.
   */
  public static int tokens(List<String> userTurns) {
    long total = 0;
    for (String t : userTurns) {
      if (t == null || t.isEmpty()) {
        continue;
      }
      long cjk = 0;
      for (int i = 0; i < t.length(); ) {
        int cp = t.codePointAt(i);
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        if (s == Character.UnicodeScript.HAN
            || s == Character.UnicodeScript.HIRAGANA
            || s == Character.UnicodeScript.KATAKANA
            || s == Character.UnicodeScript.HANGUL) {
          cjk++;
        }
        i += Character.charCount(cp);
      }
      total += Math.max(1, cjk + Math.round((t.length() - cjk) / 4.0));
    }
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  /**
   * The script most letters of the text are written in: {@code latin}, {@code cyrillic}, {@code
   * greek}, {@code arabic}, {@code hebrew}, {@code han}, {@code hiragana}, {@code katakana}, {@code
   * hangul}, {@code devanagari}, {@code thai}, {@code other}; {@code none} without letters.
   * Japanese text mixes kanji and kana; it is reported as {@code hiragana} or {@code katakana} when
   * there is any kana, so a condition on {@code han} means Chinese.
   */
  public static String script(String text) {
    Map<Character.UnicodeScript, Integer> counts = new EnumMap<>(Character.UnicodeScript.class);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (Character.isLetter(cp)) {
        counts.merge(Character.UnicodeScript.of(cp), 1, Integer::sum);
      }
      i += Character.charCount(cp);
    }
    if (counts.isEmpty()) {
      return "none";
    }
    int kana =
        counts.getOrDefault(Character.UnicodeScript.HIRAGANA, 0)
            + counts.getOrDefault(Character.UnicodeScript.KATAKANA, 0);
    if (kana > 0 && counts.containsKey(Character.UnicodeScript.HAN)) {
      return counts.getOrDefault(Character.UnicodeScript.HIRAGANA, 0)
              >= counts.getOrDefault(Character.UnicodeScript.KATAKANA, 0)
          ? "hiragana"
          : "katakana";
    }
    Character.UnicodeScript best =
        counts.entrySet().stream().max(Map.Entry.comparingByValue()).get().getKey();
    return switch (best) {
      case LATIN,
          CYRILLIC,
          GREEK,
          ARABIC,
          HEBREW,
          HAN,
          HIRAGANA,
          KATAKANA,
          HANGUL,
          DEVANAGARI,
          THAI ->
          best.name().toLowerCase(Locale.ROOT);
      default -> "other";
    };
  }

  private static final Map<String, Set<String>> STOPWORDS =
      Map.of(
          "en",
              Set.of(
                  "the", "and", "is", "of", "to", "what", "how", "you", "in", "it", "for", "are",
                  "this", "that", "with", "can", "my", "i", "a"),
          "de",
              Set.of(
                  "der", "die", "das", "und", "ist", "nicht", "ich", "wie", "was", "ein", "eine",
                  "mit", "zu", "sie", "es", "für", "auf"),
          "fr",
              Set.of(
                  "le", "la", "les", "et", "est", "des", "une", "un", "je", "vous", "que", "pour",
                  "dans", "pas", "du", "qui", "comment"),
          "es",
              Set.of(
                  "el", "los", "las", "y", "es", "que", "una", "un", "por", "para", "con", "como",
                  "qué", "del", "se", "no", "mi"),
          "it",
              Set.of(
                  "il", "lo", "gli", "e", "è", "che", "una", "un", "per", "con", "come", "non",
                  "sono", "della", "di", "mi", "cosa"),
          "pt",
              Set.of(
                  "o", "os", "as", "e", "é", "que", "uma", "um", "para", "com", "como", "não", "do",
                  "da", "em", "você", "meu"),
          "nl",
              Set.of(
                  "de", "het", "een", "en", "is", "niet", "ik", "hoe", "wat", "van", "met", "voor",
                  "op", "je", "zijn", "dat"));

  /**
   * A language guess: for Latin script, the language whose common function words occur most (en,
   * de, fr, es, it, pt, nl), {@code und} when none stands out (fewer than 2 hits); for other
   * scripts the language the script implies where it is unambiguous ({@code ru} for Cyrillic,
   * {@code zh} for Han, {@code ja} for kana, {@code ko} for Hangul, {@code el}, {@code he}, {@code
   * th}), else {@code und}.
   */
  public static String language(String text) {
    String script = script(text);
    switch (script) {
      case "cyrillic":
        return "ru";
      case "han":
        return "zh";
      case "hiragana":
      case "katakana":
        return "ja";
      case "hangul":
        return "ko";
      case "greek":
        return "el";
      case "hebrew":
        return "he";
      case "thai":
        return "th";
      case "latin":
        break;
      default:
        return "und";
    }
    Map<String, Integer> hits = new TreeMap<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")) {
      for (Map.Entry<String, Set<String>> e : STOPWORDS.entrySet()) {
        if (e.getValue().contains(w)) {
          hits.merge(e.getKey(), 1, Integer::sum);
        }
      }
    }
    String best = "und";
    int bestHits = 1;
    for (Map.Entry<String, Integer> e : hits.entrySet()) {
      if (e.getValue() > bestHits) {
        best = e.getKey();
        bestHits = e.getValue();
      }
    }
    return best;
  }
}

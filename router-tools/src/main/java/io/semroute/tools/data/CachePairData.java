package io.semroute.tools.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Question pairs for measuring the semantic cache: near misses made from real questions, and
 * paraphrases nobody on the project wrote. Seeded and deterministic; the procedure was fixed before
 * any measurement.
 *
 * <p><b>Near misses</b> (same_answer false). Source questions: CLINC150 (all splits), MMLU-Pro
 * (category train + dev), GSM8K, MT-Bench and MBPP, each at most {@value #MAX_WORDS} words (the
 * cache's semantic tier only sees messages its encoder reads whole), deduplicated, shuffled with
 * the seed. The sources are visited in turn, one question at a time; a question gives at most one
 * pair: the kinds are tried from the one with the fewest pairs so far, and the first kind that
 * applies changes exactly one thing:
 *
 * <ul>
 *   <li>{@code number}: the first whole number (not part of a word) becomes another ({@code n+1} up
 *       to 20, else {@code n + n/4}); or the first number word ("two" → "three");
 *   <li>{@code entity}, {@code place}, {@code time}, {@code unit}, {@code direction}, {@code
 *       comparison}, {@code audience}, {@code variant}: the earliest term of {@link NearMissSwaps}
 *       for that kind becomes another term of its group (a pair's partner, or a seeded pick).
 * </ul>
 *
 * A kind stops at {@value #PER_KIND} pairs, and one source gives at most half of a kind's pairs.
 * GSM8K questions give only {@link #STORY_KINDS} (in a word problem another name, place or day
 * mostly keeps the answer). A term is matched as a whole word, never inside a LaTeX command.
 *
 * <p><b>Paraphrases</b> (same_answer true): CLINC150 utterances (clinc/oos-eval, CC-BY-3.0) of the
 * {@link #SAME_FACT_INTENTS}, intents that ask for one fact with no slot value ("what is your
 * name", "tell me my credit score"). Per intent, utterances without digits and of at least three
 * words are shuffled and paired in order, up to {@value #PARAPHRASES_PER_INTENT} pairs.
 *
 * <p><b>Split</b>, before any tuning: a near miss goes to dev or test by a seeded hash of its
 * source question; a paraphrase by its intent (half the intents each side), so no source question
 * or intent is on both sides.
 */
public final class CachePairData {
  static final int MAX_WORDS = 60;
  static final int PER_KIND = 90;
  static final int PARAPHRASES_PER_INTENT = 20;

  /** CLINC150 intents whose utterances all ask for the same fact and carry no slot value. */
  static final List<String> SAME_FACT_INTENTS =
      List.of(
          "what_is_your_name",
          "how_old_are_you",
          "who_made_you",
          "are_you_a_bot",
          "where_are_you_from",
          "what_are_your_hobbies",
          "meaning_of_life",
          "who_do_you_work_for",
          "what_can_i_ask_you",
          "user_name",
          "credit_score",
          "current_location",
          "income",
          "w2");

  static final List<String> KINDS =
      List.of(
          "number",
          "entity",
          "place",
          "time",
          "unit",
          "direction",
          "comparison",
          "audience",
          "variant");

  /**
   * The kinds a word problem takes: in a GSM8K story, another name, place, day or person usually
   * keeps the arithmetic (and so the answer); another number, unit, comparison or direction does
   * not.
   */
  static final Set<String> STORY_KINDS = Set.of("number", "unit", "comparison", "direction");

  private static final Pattern NUMBER = Pattern.compile("(?<![\\w.,$])\\d{1,6}(?![\\w.,]\\d|\\w)");
  private static final List<String> NUMBER_WORDS =
      List.of(
          "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve");
  private static final Pattern NUMBER_WORD =
      Pattern.compile("(?i)(?<![\\w-])(" + String.join("|", NUMBER_WORDS) + ")(?![\\w-])");

  private final Path dataDir;
  private final long seed;

  public CachePairData(Path dataDir, long seed) {
    this.dataDir = dataDir;
    this.seed = seed;
  }

  /** Writes {@code cache_pairs.jsonl}; returns row counts per kind and split. */
  public Map<String, Integer> write(Path out) {
    List<ObjectNode> rows = new ArrayList<>(nearMisses());
    rows.addAll(paraphrases());
    Jsonl.write(out.resolve("cache_pairs.jsonl"), rows);
    Map<String, Integer> counts = new TreeMap<>();
    for (ObjectNode r : rows) {
      counts.merge(r.get("kind").asText() + " " + r.get("split").asText(), 1, Integer::sum);
    }
    return counts;
  }

  /** One source data set's questions, filtered and shuffled. */
  record Source(String name, List<String> questions) {}

  List<Source> sources() {
    List<Source> out = new ArrayList<>();
    out.add(source("clinc150", texts("prompts/clinc150.jsonl", null)));
    List<String> mmlu = new ArrayList<>(texts("category/train.jsonl", null));
    mmlu.addAll(texts("category/dev.jsonl", null));
    out.add(source("mmlu-pro", mmlu));
    out.add(source("gsm8k", texts("prompts/gsm8k.jsonl", null)));
    out.add(source("mt-bench", texts("prompts/mt_bench.jsonl", null)));
    out.add(source("mbpp", texts("prompts/code_humaneval_mbpp.jsonl", "HumanEval")));
    return out;
  }

  private List<String> texts(String file, String skipSource) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : Jsonl.read(dataDir.resolve(file))) {
      if (skipSource == null || !skipSource.equals(r.path("source").asText())) {
        out.add(r.path("text").asText().strip());
      }
    }
    return out;
  }

  private Source source(String name, List<String> texts) {
    List<String> kept = new ArrayList<>();
    for (String t : new LinkedHashSet<>(texts)) {
      if (!t.isEmpty() && !t.contains("\n") && t.split("\\s+").length <= MAX_WORDS) {
        kept.add(t);
      }
    }
    Collections.shuffle(kept, new Random(seed ^ name.hashCode()));
    return new Source(name, kept);
  }

  List<ObjectNode> nearMisses() {
    List<Source> sources = sources();
    Random random = new Random(seed);
    Map<String, Integer> perKind = new LinkedHashMap<>();
    Map<String, Integer> perKindSource = new LinkedHashMap<>();
    KINDS.forEach(k -> perKind.put(k, 0));
    List<ObjectNode> out = new ArrayList<>();
    int[] next = new int[sources.size()];
    boolean progress = true;
    while (progress && perKind.values().stream().anyMatch(n -> n < PER_KIND)) {
      progress = false;
      for (int s = 0; s < sources.size(); s++) {
        Source src = sources.get(s);
        if (next[s] >= src.questions().size()) {
          continue;
        }
        progress = true;
        String q = src.questions().get(next[s]++);
        List<String> order = new ArrayList<>(KINDS);
        order.sort(Comparator.comparingInt(perKind::get));
        for (String kind : order) {
          String key = kind + " " + src.name();
          if (perKind.get(kind) >= PER_KIND
              || (src.name().equals("gsm8k") && !STORY_KINDS.contains(kind))
              || perKindSource.getOrDefault(key, 0) >= (PER_KIND + 1) / 2) {
            continue;
          }
          Change c = kind.equals("number") ? changeNumber(q) : changeTerm(q, kind, random);
          if (c != null) {
            out.add(pair(q, c.text(), kind, false, splitOf(q), src.name(), c.what()));
            perKind.merge(kind, 1, Integer::sum);
            perKindSource.merge(key, 1, Integer::sum);
            break;
          }
        }
      }
    }
    return out;
  }

  List<ObjectNode> paraphrases() {
    List<JsonNode> clinc = Jsonl.read(dataDir.resolve("prompts/clinc150.jsonl"));
    List<String> intents = new ArrayList<>(SAME_FACT_INTENTS);
    Collections.shuffle(intents, new Random(seed));
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < intents.size(); i++) {
      String intent = intents.get(i);
      List<String> utterances = new ArrayList<>();
      for (JsonNode r : clinc) {
        String t = r.path("text").asText().strip();
        if (r.path("label").asText().equals(intent)
            && !t.matches(".*\\d.*")
            && t.split("\\s+").length >= 3
            && !utterances.contains(t)) {
          utterances.add(t);
        }
      }
      Collections.shuffle(utterances, new Random(seed ^ intent.hashCode()));
      String split = i % 2 == 0 ? "dev" : "test";
      for (int k = 0; k + 1 < utterances.size() && k / 2 < PARAPHRASES_PER_INTENT; k += 2) {
        out.add(
            pair(
                utterances.get(k),
                utterances.get(k + 1),
                "paraphrase",
                true,
                split,
                "clinc150",
                intent));
      }
    }
    return out;
  }

  private static ObjectNode pair(
      String a, String b, String kind, boolean same, String split, String source, String what) {
    ObjectNode n = Jsonl.MAPPER.createObjectNode();
    n.put("a", a);
    n.put("b", b);
    n.put("kind", kind);
    n.put("same_answer", same);
    n.put("split", split);
    n.put("source", source);
    n.put(same ? "intent" : "change", what);
    return n;
  }

  /** Dev or test by the source question, so a question never feeds both sides. */
  String splitOf(String question) {
    CRC32 crc = new CRC32();
    crc.update((seed + "\u0000" + question).getBytes(StandardCharsets.UTF_8));
    return (crc.getValue() & 1) == 0 ? "dev" : "test";
  }

  record Change(String text, String what) {}

  static Change changeNumber(String q) {
    Matcher m = NUMBER.matcher(q);
    if (m.find()) {
      long n = Long.parseLong(m.group());
      long to = n < 20 ? n + 1 : n + n / 4;
      return new Change(
          q.substring(0, m.start()) + to + q.substring(m.end()), m.group() + " → " + to);
    }
    Matcher w = NUMBER_WORD.matcher(q);
    if (w.find()) {
      String word = w.group().toLowerCase(Locale.ROOT);
      int i = NUMBER_WORDS.indexOf(word);
      String to = NUMBER_WORDS.get(i == NUMBER_WORDS.size() - 1 ? i - 1 : i + 1);
      return new Change(replace(q, w.start(), w.end(), to), w.group() + " → " + to);
    }
    return null;
  }

  /** The earliest (then longest) term of the kind's groups in {@code q}, swapped in its group. */
  static Change changeTerm(String q, String kind, Random random) {
    Matcher best = null;
    List<String> bestGroup = null;
    for (List<String> group : NearMissSwaps.BY_KIND.get(kind)) {
      for (String term : group) {
        Matcher m =
            Pattern.compile("(?i)(?<![\\w\\\\-])" + Pattern.quote(term) + "(?![\\w-])").matcher(q);
        if (m.find()
            && (best == null
                || m.start() < best.start()
                || (m.start() == best.start() && m.end() > best.end()))) {
          best = m;
          bestGroup = group;
        }
      }
    }
    if (best == null) {
      return null;
    }
    String from = best.group().toLowerCase(Locale.ROOT);
    List<String> others = new ArrayList<>(bestGroup);
    others.remove(from);
    String to = others.get(others.size() == 1 ? 0 : random.nextInt(others.size()));
    return new Change(replace(q, best.start(), best.end(), to), best.group() + " → " + to);
  }

  /** {@code q} with [start, end) replaced by {@code to}, keeping a capital first letter. */
  private static String replace(String q, int start, int end, String to) {
    String word = q.substring(start, end);
    String t = to;
    if (word.length() > 1 && word.equals(word.toUpperCase(Locale.ROOT))) {
      t = to.toUpperCase(Locale.ROOT);
    } else if (Character.isUpperCase(word.charAt(0))) {
      t = Character.toUpperCase(to.charAt(0)) + to.substring(1);
    }
    return q.substring(0, start) + t + q.substring(end);
  }
}

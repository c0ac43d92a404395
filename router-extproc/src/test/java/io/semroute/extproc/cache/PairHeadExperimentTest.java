package io.semroute.extproc.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.classifiers.LoadedEmbedder;
import io.semroute.extproc.classifiers.RequiredClassifiers;
import io.semroute.extproc.openai.Json;
import io.semroute.testkit.Fixtures;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * An experiment, not a shipped check: can a learned pair head over the cache's MiniLM embeddings
 * replace the similarity threshold and {@link WordConflicts}' soft rules (an unmatched noun,
 * adjective, adverb or verb conflicts), with only the hard rules kept absolute ({@link
 * QuestionEquivalence#examine} with {@code hardOnly}: numbers, units, negation, persons, tense,
 * names, place and time relations, comparisons, antonyms, sister terms, and every rule when the
 * texts differ in one place only)?
 *
 * <p>Data, fixed before any result was looked at. CLINC150 ({@code ../shared/data/prompts}, clinc/
 * oos-eval, CC-BY-3.0) intents other than {@code oos} and the 14 same-fact intents of {@code
 * generated-pairs.jsonl} are shuffled (seed 42) and split whole: 20 % test, 20 % dev, the rest
 * train; the 7 same-fact intents of the generated dev split join dev, the 7 of its test split join
 * test, so no test intent is trained or tuned on. Per intent, up to {@value #PER_INTENT} utterances
 * (no digits, at least three words) are paired in seeded order (same intent: positive) and each
 * pair's first utterance is paired with an utterance of another intent of the same CLINC150 domain
 * and of any other intent of the same part (negatives). The generated dev near misses are split by
 * a hash of their source question: odd ones train, even ones tune. The head sees only pairs the
 * hard rules let through, as the cache would; "cosine" is the baseline (the hard rules and a
 * similarity threshold). Threshold: the lowest that serves none of the dev negatives. Test: the
 * generated test split (paraphrases, near misses, other intents), the hand-written test pairs, the
 * unseen near misses and the held-out CLINC150 intents.
 *
 * <p>Command (about ten minutes on two cores): {@code ./mvnw -B -o -pl router-extproc -am verify
 * -Dtest=PairHeadExperimentTest -Dsurefire.failIfNoSpecifiedTests=false -Dsemroute.pairHead=true}.
 * Figures and conclusion: docs/semantic-cache.md, "Measured".
 */
class PairHeadExperimentTest {
  static final int PER_INTENT = 24;
  static final int DIM = 384;

  record Item(String a, String b, boolean same, String part, String set) {}

  @Test
  void learnedPairHeadAgainstEveryNegativeSet() throws Exception {
    assumeTrue(Boolean.getBoolean("semroute.pairHead"), "-Dsemroute.pairHead=true runs it");
    List<JsonNode> generated = resource("generated-pairs");
    List<JsonNode> handWritten = resource("near-miss-pairs");
    List<JsonNode> unseen = resource("unseen-near-misses");

    Map<String, String> sameFact = new HashMap<>();
    for (JsonNode n : generated) {
      if (n.get("same_answer").asBoolean()) {
        sameFact.put(n.get("intent").asText(), n.get("split").asText());
      }
    }
    Map<String, List<String>> utterances = new LinkedHashMap<>();
    Map<String, String> domainOf = new HashMap<>();
    for (String line :
        Files.readAllLines(Fixtures.sharedData("prompts/clinc150.jsonl"), StandardCharsets.UTF_8)) {
      JsonNode r = Json.MAPPER.readTree(line);
      String label = r.path("label").asText();
      String t = r.path("text").asText().strip();
      if (label.equals("oos") || t.matches(".*\\d.*") || t.split("\\s+").length < 3) {
        continue;
      }
      domainOf.put(label, r.path("domain").asText());
      List<String> u = utterances.computeIfAbsent(label, k -> new ArrayList<>());
      if (!u.contains(t)) {
        u.add(t);
      }
    }
    List<String> others = new ArrayList<>(new TreeSet<>(utterances.keySet()));
    others.removeAll(sameFact.keySet());
    Collections.shuffle(others, new Random(42));
    int fifth = others.size() / 5;
    Map<String, String> partOf = new HashMap<>();
    for (int i = 0; i < others.size(); i++) {
      partOf.put(others.get(i), i < fifth ? "test" : i < 2 * fifth ? "dev" : "train");
    }

    List<Item> items = new ArrayList<>();
    for (String part : List.of("train", "dev", "test")) {
      List<String> intents =
          others.stream().filter(i -> partOf.get(i).equals(part)).sorted().toList();
      Random rnd = new Random(42 ^ part.hashCode());
      for (String intent : intents) {
        List<String> u = new ArrayList<>(utterances.get(intent));
        Collections.shuffle(u, new Random(42 ^ intent.hashCode()));
        u = u.subList(0, Math.min(PER_INTENT, u.size()));
        for (int k = 0; k + 1 < u.size(); k += 2) {
          items.add(new Item(u.get(k), u.get(k + 1), true, part, "clinc-intents"));
          List<String> sameDomain =
              intents.stream()
                  .filter(i -> !i.equals(intent) && domainOf.get(i).equals(domainOf.get(intent)))
                  .toList();
          if (!sameDomain.isEmpty()) {
            String o = sameDomain.get(rnd.nextInt(sameDomain.size()));
            items.add(new Item(u.get(k), pick(utterances.get(o), rnd), false, part, "clinc-other"));
          }
          String o = intents.get(rnd.nextInt(intents.size()));
          if (!o.equals(intent)) {
            items.add(new Item(u.get(k), pick(utterances.get(o), rnd), false, part, "clinc-other"));
          }
        }
      }
    }
    for (JsonNode n : generated) {
      String split = n.get("split").asText();
      boolean same = n.get("same_answer").asBoolean();
      String part =
          split.equals("test")
              ? "test"
              : !same && Math.floorMod(n.get("a").asText().hashCode(), 2) == 1 ? "train" : "dev";
      items.add(item(n, same, part, same ? "generated-paraphrases" : "generated-near-misses"));
    }
    List<String> sets = new ArrayList<>(Collections.nCopies(generated.size(), "generated-pairs"));
    for (JsonNode n : CachePairsEvaluationTest.crossIntent(generated, sets)) {
      items.add(item(n, false, n.get("split").asText(), "other-intents"));
    }
    for (JsonNode n : handWritten) {
      boolean same = n.get("same_answer").asBoolean();
      items.add(item(n, same, n.get("split").asText(), "hand-written"));
    }
    for (JsonNode n : unseen) {
      items.add(item(n, false, "test", "unseen-near-misses"));
    }

    Map<String, float[]> vectors = embed(items);
    QuestionEquivalence eq = QuestionEquivalence.shared();
    List<double[]> features = new ArrayList<>();
    List<Boolean> hard = new ArrayList<>();
    for (Item it : items) {
      float[] u = vectors.get(it.a());
      float[] v = vectors.get(it.b());
      QuestionEquivalence.Examination ex = eq.examine(it.a(), it.b(), true);
      hard.add(u != null && v != null && ex.verdict().same());
      features.add(u == null || v == null ? null : PairFeatures.of(u, v, it.a(), it.b(), ex, eq));
    }

    StringBuilder sb = new StringBuilder("\npair head experiment\n");
    Map<String, Set<String>> partIntents = new TreeMap<>();
    for (String intent : others) {
      partIntents.computeIfAbsent(partOf.get(intent), k -> new TreeSet<>()).add(intent);
    }
    sameFact.forEach((i, s) -> partIntents.computeIfAbsent(s, k -> new TreeSet<>()).add(i));
    partIntents.forEach(
        (p, s) -> sb.append(String.format(Locale.ROOT, "%s intents (%d): %s\n", p, s.size(), s)));

    List<double[]> trainX = new ArrayList<>();
    List<Boolean> trainY = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).part().equals("train") && hard.get(i)) {
        trainX.add(features.get(i));
        trainY.add(items.get(i).same());
      }
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "train pairs passing the hard rules: %d (%d positive)\n",
            trainX.size(),
            trainY.stream().filter(b -> b).count()));
    for (String kind : List.of("cosine", "logistic", "mlp")) {
      PairHead head =
          switch (kind) {
            case "logistic" -> PairHead.logistic(trainX, trainY, 1e-2, 400);
            case "mlp" -> PairHead.mlp(trainX, trainY, 32, 1e-3, 200, 42);
            default -> null;
          };
      double[] score = new double[items.size()];
      for (int i = 0; i < items.size(); i++) {
        score[i] =
            !hard.get(i)
                ? Double.NEGATIVE_INFINITY
                : head == null ? features.get(i)[2 * DIM] : head.score(features.get(i));
      }
      double worstDevNegative = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).part().equals("dev") && !items.get(i).same()) {
          worstDevNegative = Math.max(worstDevNegative, score[i]);
        }
      }
      double threshold = Math.nextUp(worstDevNegative);
      sb.append(
          String.format(
              Locale.ROOT,
              "\n%s head, threshold %.4f (lowest serving no dev negative)\n",
              kind,
              threshold));
      for (String part : List.of("train", "dev", "test")) {
        for (String set :
            List.of(
                "clinc-intents",
                "generated-paraphrases",
                "hand-written",
                "clinc-other",
                "generated-near-misses",
                "other-intents",
                "unseen-near-misses")) {
          for (boolean same : List.of(true, false)) {
            int n = 0;
            int passHard = 0;
            int served = 0;
            for (int i = 0; i < items.size(); i++) {
              Item it = items.get(i);
              if (it.part().equals(part) && it.set().equals(set) && it.same() == same) {
                n++;
                passHard += hard.get(i) ? 1 : 0;
                served += score[i] >= threshold ? 1 : 0;
              }
            }
            if (n > 0) {
              sb.append(
                  String.format(
                      Locale.ROOT,
                      "  %-5s %-22s %-11s %4d pairs, hard rules pass %4d, served %4d (%5.1f%%)%s\n",
                      part,
                      set,
                      same ? "same" : "different",
                      n,
                      passHard,
                      served,
                      100.0 * served / n,
                      !same && served == 0
                          ? String.format(Locale.ROOT, " <%.2f%%", 300.0 / n)
                          : ""));
            }
          }
        }
      }
      if (!kind.equals("mlp")) {
        sb.append("  dev positives the hard rules pass and the head turns away, lowest first:\n");
        List<Integer> low = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
          if (items.get(i).part().equals("dev")
              && items.get(i).same()
              && hard.get(i)
              && score[i] < threshold) {
            low.add(i);
          }
        }
        low.sort((x, y) -> Double.compare(score[x], score[y]));
        for (int i : low.subList(0, Math.min(10, low.size()))) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "    %.3f %s: %s | %s\n",
                  score[i],
                  items.get(i).set(),
                  items.get(i).a(),
                  items.get(i).b()));
        }
        sb.append("  test negatives served, highest score first:\n");
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
          if (items.get(i).part().equals("test") && !items.get(i).same() && score[i] >= threshold) {
            idx.add(i);
          }
        }
        idx.sort((x, y) -> Double.compare(score[y], score[x]));
        for (int i : idx.subList(0, Math.min(15, idx.size()))) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "    %.3f %s: %s | %s\n",
                  score[i],
                  items.get(i).set(),
                  items.get(i).a(),
                  items.get(i).b()));
        }
      }
    }
    System.out.println(sb);
    assertThat(trainX).isNotEmpty();
  }

  private static String pick(List<String> u, Random rnd) {
    return u.get(rnd.nextInt(u.size()));
  }

  private static Item item(JsonNode n, boolean same, String part, String set) {
    return new Item(n.get("a").asText(), n.get("b").asText(), same, part, set);
  }

  private static List<JsonNode> resource(String name) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                PairHeadExperimentTest.class.getResourceAsStream("/cache/" + name + ".jsonl"),
                StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        rows.add(Json.MAPPER.readTree(line));
      }
    }
    return rows;
  }

  /**
   * Every distinct text embedded as the cache does (null when the encoder cannot read it whole).
   */
  private static Map<String, float[]> embed(List<Item> items) throws Exception {
    Set<String> texts = new LinkedHashSet<>();
    for (Item it : items) {
      texts.add(it.a());
      texts.add(it.b());
    }
    List<String> all = new ArrayList<>(texts);
    Map<String, float[]> out = new HashMap<>();
    RouterConfig cfg = TestConfigs.withCache(TestConfigs.sample(), TestConfigs.memoryCache());
    try (ClassifierCache models =
        new ClassifierCache(new ClassifierOpener(BatchPolicy.defaults()))) {
      LoadedEmbedder embedder =
          (LoadedEmbedder) models.get(RequiredClassifiers.embedder(cfg).orElseThrow());
      for (int from = 0; from < all.size(); from += 64) {
        List<CompletableFuture<float[]>> f = new ArrayList<>();
        int to = Math.min(all.size(), from + 64);
        for (int i = from; i < to; i++) {
          f.add(embedder.submitWhole(all.get(i)));
        }
        for (int i = from; i < to; i++) {
          CompletableFuture<float[]> v = f.get(i - from);
          out.put(all.get(i), v == null ? null : v.get());
        }
      }
    }
    return out;
  }
}

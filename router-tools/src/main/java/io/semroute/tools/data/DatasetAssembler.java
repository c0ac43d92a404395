package io.semroute.tools.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the training, tuning and evaluation sets for the three default models from the shared data
 * folder (see its README). Everything is seeded, so the same inputs give the same files.
 *
 * <ul>
 *   <li>category: MMLU-Pro train, optionally plus MMLU questions mapped by {@link MmluDomains};
 *       MMLU rows whose text also appears in MMLU-Pro train or dev are dropped (MMLU-Pro reuses
 *       MMLU questions, so keeping them would leak dev answers into training).
 *   <li>jailbreak: all four attack/injection sets plus their benign rows, de-duplicated, split
 *       70/15/15 into train/dev/test by source and label; ordinary prompts (MMLU-Pro train,
 *       prompts/*) added as benign to train and dev, with disjoint parts kept for a false-positive
 *       check; hand-written benign prompts with trigger words for training, and separate
 *       hand-written and real-source sets (trigger words, account questions) only ever evaluated
 *       on.
 *   <li>pii: span rows split by template id into train / dev / held-out, plus rows generated from
 *       the training templates ({@link PiiTemplateGenerator}).
 * </ul>
 */
public final class DatasetAssembler {
  public static final long DEFAULT_SEED = 42;

  private final Path dataDir;
  private final long seed;
  private int jailbreakBenignGenerated;

  /**
   * Adds {@code n} {@link BenignTriggerGenerator} rows to the jailbreak training set (never dev).
   */
  public DatasetAssembler jailbreakBenignGenerated(int n) {
    this.jailbreakBenignGenerated = n;
    return this;
  }

  private int jailbreakBenignSupport;
  private int jailbreakGeneratedRepeat = 1;
  private int jailbreakClincExtra;
  private final Set<String> jailbreakHeldOutSources = new HashSet<>();

  /**
   * Adds {@code n} more CLINC150 utterances (outside the held-out utility domain) to jailbreak
   * training: real short everyday requests beside the 1,500 every build has.
   */
  public DatasetAssembler jailbreakClincExtra(int n) {
    this.jailbreakClincExtra = n;
    return this;
  }

  /**
   * Keeps a whole benign source out of jailbreak training and dev, for a leave-one-source-out
   * false-positive figure: {@code awesome} (the shared role-play prompts: all of them go to {@code
   * awesomeEval}).
   */
  public DatasetAssembler jailbreakHoldOutSource(String source) {
    if (!HOLD_OUT_SOURCES.contains(source)) {
      throw new DataException(
          "unknown jailbreak hold-out source '" + source + "' (known: " + HOLD_OUT_SOURCES + ")");
    }
    jailbreakHeldOutSources.add(source);
    return this;
  }

  /** Sources {@link #jailbreakHoldOutSource} accepts. */
  public static final List<String> HOLD_OUT_SOURCES = List.of("awesome");

  /**
   * The CLINC150 domain kept whole out of jailbreak training and dev: timers, spelling, the
   * calculator, definitions, weather... the short everyday questions a guard must never refuse.
   */
  public static final String HELD_OUT_CLINC_DOMAIN = "utility";

  /**
   * How often each generated / support row ({@link #jailbreakBenignGenerated}, {@link
   * #jailbreakBenignSupport}) is in training.
   */
  public DatasetAssembler jailbreakGeneratedRepeat(int k) {
    if (k < 1) {
      throw new DataException("jailbreak generated-row repeat must be >= 1, got " + k);
    }
    this.jailbreakGeneratedRepeat = k;
    return this;
  }

  /**
   * Adds {@code n} {@link BenignSupportGenerator} rows and the CLINC150 <em>train-split</em>
   * utterances of {@link #SUPPORT_TRAIN_INTENTS} to the jailbreak training set (never dev).
   */
  public DatasetAssembler jailbreakBenignSupport(int n) {
    this.jailbreakBenignSupport = n;
    return this;
  }

  /**
   * CLINC150 intents whose train-split utterances join jailbreak training with {@link
   * #jailbreakBenignSupport}: instructions to the assistant and account/PIN support. The evaluation
   * files keep these intents' test-split rows and five intents never added here (change_language,
   * change_accent, whisper_mode, freeze_account, report_lost_card), so a transfer figure on
   * untrained intents stays measurable.
   */
  static final List<String> SUPPORT_TRAIN_INTENTS =
      List.of(
          "change_ai_name",
          "change_user_name",
          "cancel",
          "reset_settings",
          "change_speed",
          "what_is_your_name",
          "pin_change",
          "account_blocked",
          "user_name");

  /** At most this many train-split utterances per {@link #SUPPORT_TRAIN_INTENTS} intent. */
  static final int SUPPORT_PER_INTENT = 50;

  public DatasetAssembler(Path dataDir, long seed) {
    if (!Files.isDirectory(dataDir)) {
      throw new DataException(
          "data directory " + dataDir + " does not exist (expected ../shared/data)");
    }
    this.dataDir = dataDir;
    this.seed = seed;
  }

  /** Category sets. */
  public record Category(List<SourcedText> train, List<SourcedText> dev) {}

  /** Jailbreak sets; {@code ordinaryEval} and {@code triggerEval} are all benign. */
  public record Jailbreak(
      List<SourcedText> train,
      List<SourcedText> dev,
      List<SourcedText> test,
      List<SourcedText> ordinaryEval,
      List<SourcedText> triggerEval,
      List<SourcedText> followUpEval,
      List<SourcedText> triggerUnseenEval,
      List<SourcedText> triggerRealEval,
      List<SourcedText> accountSupportEval,
      List<SourcedText> selfInstructEval,
      List<SourcedText> clincUtilityEval,
      List<SourcedText> awesomeEval,
      List<SourcedText> triggerHeldOutEval,
      List<SourcedText> lakeraDropped,
      List<SourcedText> inTheWildEval) {}

  /** PII sets. */
  public record Pii(List<SpanExample> train, List<SpanExample> dev, List<SpanExample> heldOut) {}

  /** How many everyday requests {@link #category(boolean)} adds to training as "other". */
  public static final int DEFAULT_EVERYDAY = 1500;

  public Category category(boolean withMmlu) {
    return category(withMmlu, DEFAULT_EVERYDAY);
  }

  /**
   * @param everyday CLINC150 utterances (from its own train split) added to training as {@code
   *     other}. The 14 domains have no place for "hi, how are you?" or "set an alarm for 7":
   *     without such rows the head sent chit-chat confidently to some academic domain (19 % of a
   *     CLINC150 sample reached the domains routed to the reasoning model). {@code other} is the
   *     domain the router serves with its default model. CLINC150's test split stays untouched for
   *     routing-quality checks.
   */
  public Category category(boolean withMmlu, int everyday) {
    List<SourcedText> train = readSourced("category/train.jsonl");
    List<SourcedText> dev = readSourced("category/dev.jsonl");
    if (withMmlu) {
      Set<String> seen = new HashSet<>();
      train.forEach(r -> seen.add(TextKey.of(r.text())));
      dev.forEach(r -> seen.add(TextKey.of(r.text())));
      for (JsonNode r : Jsonl.read(file("category-extra/mmlu_57_subjects.jsonl"))) {
        String subject = r.path("label").asText();
        String text = r.path("text").asText();
        var domain = MmluDomains.domainOf(subject);
        if (domain.isPresent() && seen.add(TextKey.of(text))) {
          train.add(new SourcedText(text, domain.get(), "mmlu57-" + subject));
        }
      }
    }
    if (everyday > 0) {
      List<JsonNode> rows = Jsonl.read(file("prompts/clinc150.jsonl"));
      Set<String> heldOut = new HashSet<>(); // texts that also occur outside the train split
      rows.stream()
          .filter(r -> !r.path("split").asText().endsWith("train"))
          .forEach(r -> heldOut.add(TextKey.of(r.path("text").asText())));
      List<SourcedText> clinc = new ArrayList<>();
      for (JsonNode r : rows) {
        String text = r.path("text").asText();
        if (r.path("split").asText().endsWith("train")
            && !heldOut.contains(TextKey.of(text))) { // "train", "oos_train"
          clinc.add(new SourcedText(text, "other", "clinc150-" + r.path("domain").asText()));
        }
      }
      Collections.shuffle(clinc, new Random(seed));
      train.addAll(clinc.subList(0, Math.min(everyday, clinc.size())));
    }
    return new Category(train, dev);
  }

  /**
   * How often each hand-written hard negative (trigger-word prompts, short follow-ups) appears in
   * jailbreak training. About 370 of 7,600 training rows are such prompts, too few to outweigh the
   * attack rows that share their words ("ignore", "pretend", "repeat"); repeating them weighs them
   * more without another loss option.
   */
  static final int HARD_NEGATIVE_REPEAT = 3;

  public Jailbreak jailbreak() {
    // 1. Labelled attack/benign sets, de-duplicated; texts seen with both labels are dropped.
    Map<String, SourcedText> byKey = new LinkedHashMap<>();
    Set<String> conflicting = new HashSet<>();
    addLabelled(byKey, conflicting, "jailbreak/train.jsonl", "jackhhao");
    addLabelled(byKey, conflicting, "jailbreak/in_the_wild_jailbreaks.jsonl", "in_the_wild");
    addLabelled(byKey, conflicting, "jailbreak/prompt_injection_deepset_train.jsonl", "deepset");
    addLabelled(byKey, conflicting, "jailbreak/prompt_injection_lakera_attacks.jsonl", "lakera");
    conflicting.forEach(byKey::remove);
    List<List<SourcedText>> labelled =
        SeededSplit.split(
            new ArrayList<>(byKey.values()),
            r -> r.src() + "/" + r.label(),
            seed,
            0.70,
            0.15,
            0.15);
    List<SourcedText> train = new ArrayList<>(labelled.get(0));
    List<SourcedText> dev = new ArrayList<>(labelled.get(1));
    List<SourcedText> test = new ArrayList<>(labelled.get(2));
    // Password-game rows that are no attack out of the game are dropped after the split, so the
    // remaining test rows are the same rows every earlier model was kept away from.
    List<SourcedText> lakeraDropped = new ArrayList<>();
    for (List<SourcedText> part : List.of(train, dev, test)) {
      part.removeIf(
          r -> {
            boolean drop =
                r.src().equals("lakera") && !LakeraAttackRule.isAttackOutOfContext(r.text());
            if (drop) {
              lakeraDropped.add(r);
            }
            return drop;
          });
    }

    // 2. Ordinary prompts as benign: disjoint train / dev / false-positive-eval parts per source.
    List<SourcedText> ordinaryEval = new ArrayList<>();
    addOrdinary(train, dev, ordinaryEval, "prompts/gsm8k.jsonl", "gsm8k", 700, 100, 500);
    addOrdinary(train, dev, ordinaryEval, "prompts/math500.jsonl", "math500", 200, 50, 250);
    addOrdinary(train, dev, ordinaryEval, "prompts/mt_bench.jsonl", "mt_bench", 40, 0, 40);
    List<SourcedText> clincUnused =
        addOrdinary(
            train, dev, ordinaryEval, "prompts/clinc150.jsonl", "clinc150", 1500, 200, 1000);
    addOrdinary(
        train, dev, ordinaryEval, "prompts/code_humaneval_mbpp.jsonl", "code", 200, 40, 181);
    // MMLU-Pro train questions; category/dev.jsonl is kept whole for the false-positive check.
    List<SourcedText> mmluPro = benign(readSourced("category/train.jsonl"), "mmlu_pro_train");
    List<List<SourcedText>> mp = SeededSplit.split(mmluPro, r -> "all", seed, 0.8, 0.2);
    train.addAll(mp.get(0).subList(0, Math.min(1200, mp.get(0).size())));
    dev.addAll(mp.get(1).subList(0, Math.min(150, mp.get(1).size())));
    ordinaryEval.addAll(benign(readSourced("category/dev.jsonl"), "mmlu_pro_dev"));

    // 2b. Real benign sources nobody on the team wrote. The CLINC150 utility domain and the
    // human-written self-instruct tasks are kept whole out of training and dev; the shared
    // role-play prompts are split by role (act) 50/10/40, or held out whole.
    Set<String> utilityKeys = new HashSet<>();
    List<SourcedText> utilityRows = new ArrayList<>();
    for (JsonNode r : Jsonl.read(file("prompts/clinc150.jsonl"))) {
      if (r.path("domain").asText().equals(HELD_OUT_CLINC_DOMAIN)) {
        String text = r.path("text").asText();
        if (utilityKeys.add(TextKey.of(text))) {
          utilityRows.add(
              new SourcedText(
                  text,
                  JailbreakLabels.BENIGN,
                  "clinc150-" + HELD_OUT_CLINC_DOMAIN + ":" + r.path("label").asText()));
        }
      }
    }
    Set<String> pickedBefore = new HashSet<>();
    for (List<SourcedText> l : List.of(train, dev)) {
      l.forEach(r -> pickedBefore.add(TextKey.of(r.text())));
    }
    // Only utility texts no model of this recipe has trained on (earlier builds took CLINC150 rows
    // from every domain).
    List<SourcedText> clincUtilityEval =
        new ArrayList<>(
            utilityRows.stream()
                .filter(r -> !pickedBefore.contains(TextKey.of(r.text())))
                .toList());
    train.removeIf(r -> utilityKeys.contains(TextKey.of(r.text())));
    dev.removeIf(r -> utilityKeys.contains(TextKey.of(r.text())));
    if (jailbreakClincExtra > 0) {
      List<SourcedText> extra =
          clincUnused.stream().filter(r -> !utilityKeys.contains(TextKey.of(r.text()))).toList();
      train.addAll(
          extra.subList(0, Math.min(jailbreakClincExtra, extra.size())).stream()
              .map(r -> new SourcedText(r.text(), r.label(), "clinc150_extra"))
              .toList());
    }
    List<SourcedText> selfInstructEval = new ArrayList<>();
    for (JsonNode r : Jsonl.read(file("prompts/self_instruct_human.jsonl"))) {
      selfInstructEval.add(
          new SourcedText(
              r.path("text").asText(),
              JailbreakLabels.BENIGN,
              "self_instruct:" + r.path("src").asText()));
    }
    List<SourcedText> awesomeEval = new ArrayList<>();
    Map<String, List<SourcedText>> byAct = new LinkedHashMap<>();
    for (JsonNode r : Jsonl.read(file("prompts/awesome_chatgpt_prompts.jsonl"))) {
      String text = r.path("text").asText();
      if (!text.isBlank()) {
        byAct
            .computeIfAbsent(r.path("act").asText(), k -> new ArrayList<>())
            .add(new SourcedText(text, PersonaJailbreakRule.label(text), "awesome"));
      }
    }
    if (jailbreakHeldOutSources.contains("awesome")) {
      byAct.values().forEach(awesomeEval::addAll);
    } else {
      List<List<String>> acts =
          SeededSplit.split(new ArrayList<>(byAct.keySet()), a -> "all", seed, 0.5, 0.1, 0.4);
      acts.get(0).forEach(a -> train.addAll(byAct.get(a)));
      acts.get(1).forEach(a -> dev.addAll(byAct.get(a)));
      acts.get(2).forEach(a -> awesomeEval.addAll(byAct.get(a)));
    }

    // 3. Hand-written hard negatives (train/dev) and the separate trigger-word eval set.
    List<SourcedText> hard = benign(readResourceLines("benign_trigger_train.txt"), "hard_negative");
    List<List<SourcedText>> h = SeededSplit.split(hard, r -> "all", seed, 0.8, 0.2);
    // Short conversational turns ("why?", "repeat the last step"): Lakera's attacks are short
    // questions too, so without these the guard blocks ordinary multi-turn conversations.
    List<SourcedText> followUps =
        benign(readResourceLines("benign_followups_train.txt"), "follow_up");
    List<List<SourcedText>> f = SeededSplit.split(followUps, r -> "all", seed, 0.8, 0.2);
    for (int k = 0; k < HARD_NEGATIVE_REPEAT; k++) {
      train.addAll(h.get(0));
      train.addAll(f.get(0));
    }
    dev.addAll(h.get(1));
    dev.addAll(f.get(1));
    if (jailbreakBenignGenerated > 0) {
      List<SourcedText> generated =
          BenignTriggerGenerator.generate(jailbreakBenignGenerated, seed).stream()
              .map(t -> new SourcedText(t, JailbreakLabels.BENIGN, "generated_trigger"))
              .toList();
      // Train only: dev calibrates the threshold to a benign-flagged budget, and easy template
      // rows in dev would widen that budget for the real benign rows (first run: test precision
      // 0.996 -> 0.985 at the same recall).
      for (int k = 0; k < jailbreakGeneratedRepeat; k++) {
        train.addAll(generated);
      }
    }
    if (jailbreakBenignSupport > 0) {
      // Train only, for the same reason as the generated trigger-word rows above.
      List<SourcedText> support = new ArrayList<>();
      BenignSupportGenerator.generate(jailbreakBenignSupport, seed)
          .forEach(
              t -> support.add(new SourcedText(t, JailbreakLabels.BENIGN, "generated_support")));
      Map<String, Integer> perIntent = new HashMap<>();
      for (JsonNode r : Jsonl.read(file("prompts/clinc150.jsonl"))) {
        String intent = r.path("label").asText();
        if (r.path("split").asText().equals("train")
            && SUPPORT_TRAIN_INTENTS.contains(intent)
            && perIntent.merge(intent, 1, Integer::sum) <= SUPPORT_PER_INTENT) {
          support.add(
              new SourcedText(r.path("text").asText(), JailbreakLabels.BENIGN, "clinc150_support"));
        }
      }
      for (int k = 0; k < jailbreakGeneratedRepeat; k++) {
        train.addAll(support);
      }
    }
    List<SourcedText> triggerEval =
        benign(readResourceLines("benign_trigger_eval.txt"), "benign_trigger_eval");
    List<SourcedText> followUpEval =
        benign(readResourceLines("benign_followups_eval.txt"), "benign_followup_eval");
    // Issue 11's set: written apart from the other hand-written files, plus MT-Bench role-play.
    List<SourcedText> triggerUnseenEval =
        benign(
            readResourceLines("benign_trigger_unseen_eval.txt").stream()
                .map(
                    r ->
                        new SourcedText(
                            r.text().replaceFirst("^\\[mt-bench\\] ", ""), r.label(), r.src()))
                .toList(),
            "benign_trigger_unseen_eval");
    // Issue 11, second part: trigger-word prompts and account/PIN support questions from real
    // human-written sources (CLINC150 test/val, MT-Bench second turns, MMLU, GSM8K, code); the
    // file headers say how each was selected. src = the line's [source-split:intent] tag.
    List<SourcedText> triggerRealEval = readTaggedLines("benign_trigger_real_eval.txt");
    List<SourcedText> accountSupportEval = readTaggedLines("benign_account_support_eval.txt");

    // 4. Sources repeat texts (clinc150 utterances, MMLU-Pro questions in both of its splits):
    // evaluation texts win, so no text is ever both trained on and evaluated.
    Set<String> evalKeys = new HashSet<>();
    for (List<SourcedText> l :
        List.of(
            test,
            ordinaryEval,
            triggerEval,
            followUpEval,
            triggerUnseenEval,
            triggerRealEval,
            accountSupportEval,
            selfInstructEval,
            clincUtilityEval,
            awesomeEval)) {
      l.forEach(r -> evalKeys.add(TextKey.of(r.text())));
    }
    dev.removeIf(r -> evalKeys.contains(TextKey.of(r.text())));
    Set<String> devKeys = new HashSet<>();
    dev.forEach(r -> devKeys.add(TextKey.of(r.text())));
    train.removeIf(
        r -> evalKeys.contains(TextKey.of(r.text())) || devKeys.contains(TextKey.of(r.text())));
    Collections.shuffle(train, new Random(seed));
    // Benign prompts with the attack class's words from the real sources no model here trained on.
    List<SourcedText> triggerHeldOutEval = new ArrayList<>();
    Set<String> triggerKeys = new HashSet<>();
    for (List<SourcedText> l :
        List.of(selfInstructEval, awesomeEval, clincUtilityEval, ordinaryEval)) {
      for (SourcedText r : l) {
        if (r.label().equals(JailbreakLabels.BENIGN)
            && TriggerWords.contains(r.text())
            && triggerKeys.add(TextKey.of(r.text()))) {
          triggerHeldOutEval.add(r);
        }
      }
    }
    // In-the-wild jailbreaks never trained on or tuned on (most also sit in another set's split).
    Set<String> seen = new HashSet<>();
    train.forEach(r -> seen.add(TextKey.of(r.text())));
    dev.forEach(r -> seen.add(TextKey.of(r.text())));
    List<SourcedText> inTheWildEval = new ArrayList<>();
    for (JsonNode r : Jsonl.read(file("jailbreak/in_the_wild_jailbreaks.jsonl"))) {
      String text = r.path("text").asText();
      if (!text.isBlank() && seen.add(TextKey.of(text))) {
        inTheWildEval.add(new SourcedText(text, JailbreakLabels.JAILBREAK, "in_the_wild"));
      }
    }
    return new Jailbreak(
        train,
        dev,
        test,
        ordinaryEval,
        triggerEval,
        followUpEval,
        triggerUnseenEval,
        triggerRealEval,
        accountSupportEval,
        selfInstructEval,
        clincUtilityEval,
        awesomeEval,
        triggerHeldOutEval,
        lakeraDropped,
        inTheWildEval);
  }

  public Pii pii() {
    List<SpanExample> rows = Jsonl.readSpans(file("pii/train_spans.jsonl"));
    TemplateSplit.Result outer = TemplateSplit.split(rows, 0.2, seed);
    TemplateSplit.Result inner = TemplateSplit.split(outer.train(), 0.15, seed + 1);
    return new Pii(inner.train(), inner.heldOut(), outer.heldOut());
  }

  /** Rows generated from the PII generator by default (see {@link #piiGenerated}). */
  public static final int DEFAULT_PII_GENERATED = 8000;

  /**
   * {@code n} rows from the PII generator's templates of the training split only, filled from 80 %
   * of the identity table (a seeded choice), so some names of dev and held-out rows stay unseen
   * even where the data set drew them from the same table.
   */
  public List<SpanExample> piiGenerated(List<SpanExample> train, int n) {
    List<FakeIdentity> ids =
        new ArrayList<>(FakeIdentity.readCsv(file("pii/generator/FakeNameGenerator.com_3000.csv")));
    Collections.shuffle(ids, new Random(seed));
    List<PiiTemplate> templates = PiiTemplate.readAll(file("pii/generator/templates.txt"));
    return new PiiTemplateGenerator(templates, train, ids.subList(0, ids.size() * 4 / 5))
        .generate(n, seed);
  }

  /** Writes every set as JSONL into {@code outDir}; returns file name to row count. */
  public Map<String, Integer> writeAll(Path outDir, boolean categoryWithMmlu) {
    return writeAll(outDir, categoryWithMmlu, DEFAULT_EVERYDAY, DEFAULT_PII_GENERATED);
  }

  /**
   * As {@link #writeAll(Path, boolean)}, with {@code everyday} rows for {@link #category(boolean,
   * int)}.
   */
  public Map<String, Integer> writeAll(
      Path outDir, boolean categoryWithMmlu, int categoryEveryday) {
    return writeAll(outDir, categoryWithMmlu, categoryEveryday, DEFAULT_PII_GENERATED);
  }

  /**
   * As above; {@code piiGenerated} rows are added to the PII training rows in {@code
   * pii_train_generated.jsonl}.
   */
  public Map<String, Integer> writeAll(
      Path outDir, boolean categoryWithMmlu, int categoryEveryday, int piiGenerated) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Category c = category(categoryWithMmlu, categoryEveryday);
    write(outDir, "category_train.jsonl", c.train(), counts);
    write(outDir, "category_dev.jsonl", c.dev(), counts);
    Jailbreak j = jailbreak();
    write(outDir, "jailbreak_train.jsonl", j.train(), counts);
    write(outDir, "jailbreak_dev.jsonl", j.dev(), counts);
    write(outDir, "jailbreak_test.jsonl", j.test(), counts);
    write(outDir, "jailbreak_ordinary_eval.jsonl", j.ordinaryEval(), counts);
    write(outDir, "jailbreak_benign_trigger_eval.jsonl", j.triggerEval(), counts);
    write(outDir, "jailbreak_followup_eval.jsonl", j.followUpEval(), counts);
    write(outDir, "jailbreak_trigger_unseen_eval.jsonl", j.triggerUnseenEval(), counts);
    write(outDir, "jailbreak_trigger_real_eval.jsonl", j.triggerRealEval(), counts);
    write(outDir, "jailbreak_account_support_eval.jsonl", j.accountSupportEval(), counts);
    write(outDir, "jailbreak_self_instruct_eval.jsonl", j.selfInstructEval(), counts);
    write(outDir, "jailbreak_clinc_utility_eval.jsonl", j.clincUtilityEval(), counts);
    write(outDir, "jailbreak_awesome_eval.jsonl", j.awesomeEval(), counts);
    write(outDir, "jailbreak_trigger_heldout_eval.jsonl", j.triggerHeldOutEval(), counts);
    write(outDir, "jailbreak_lakera_dropped.jsonl", j.lakeraDropped(), counts);
    write(outDir, "jailbreak_in_the_wild_eval.jsonl", j.inTheWildEval(), counts);
    // The same ordinary prompts as PII rows without gold entities, for what the PII detector flags
    // in everyday traffic (`eval --task pii` counts texts with a false positive). The word
    // problems' first names are real names, so PERSON there is not all error.
    write(
        outDir,
        "pii_ordinary_eval.jsonl",
        spanRows(
            j.ordinaryEval().stream().map(t -> new SpanExample(t.text(), List.of(), -1)).toList()),
        counts);
    Pii p = pii();
    write(outDir, "pii_train.jsonl", spanRows(p.train()), counts);
    write(outDir, "pii_dev.jsonl", spanRows(p.dev()), counts);
    write(outDir, "pii_heldout.jsonl", spanRows(p.heldOut()), counts);
    List<SpanExample> trainGenerated = new ArrayList<>(p.train());
    trainGenerated.addAll(piiGenerated(p.train(), piiGenerated));
    write(outDir, "pii_train_generated.jsonl", spanRows(trainGenerated), counts);
    // For a final model trained on every non-held-out template with a fixed epoch count chosen by
    // cross-validation (writePiiFolds): dev templates are then training templates too.
    List<SpanExample> trainDev = new ArrayList<>(p.train());
    trainDev.addAll(p.dev());
    List<SpanExample> trainDevGenerated = new ArrayList<>(trainDev);
    trainDevGenerated.addAll(piiGenerated(trainDev, piiGenerated));
    write(outDir, "pii_traindev_generated.jsonl", spanRows(trainDevGenerated), counts);
    return counts;
  }

  /**
   * Template-level cross-validation sets inside the non-held-out PII rows (train + dev): for fold
   * {@code i}, {@code pii_cv<i>_dev.jsonl} holds the rows of that fold's templates and {@code
   * pii_cv<i>_train.jsonl} the other rows plus {@code piiGenerated} rows generated from those other
   * rows only (templates, conventions and slot values), so no fold leaks into its own training set.
   * The held-out split is never touched.
   */
  public Map<String, Integer> writePiiFolds(Path outDir, int folds, int piiGenerated) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Pii p = pii();
    List<SpanExample> rows = new ArrayList<>(p.train());
    rows.addAll(p.dev());
    List<TemplateSplit.Result> splits = TemplateFolds.split(rows, folds, seed + 2);
    for (int i = 0; i < splits.size(); i++) {
      TemplateSplit.Result s = splits.get(i);
      List<SpanExample> train = new ArrayList<>(s.train());
      train.addAll(piiGenerated(s.train(), piiGenerated));
      write(outDir, "pii_cv" + i + "_train.jsonl", spanRows(train), counts);
      write(outDir, "pii_cv" + i + "_dev.jsonl", spanRows(s.heldOut()), counts);
    }
    return counts;
  }

  private static List<Map<String, Object>> spanRows(List<SpanExample> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SpanExample r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("text", r.text());
      List<Map<String, Object>> spans = new ArrayList<>();
      for (CharSpan s : r.spans()) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("start", s.start());
        sm.put("end", s.end());
        sm.put("label", s.label());
        sm.put("value", r.text().substring(s.start(), s.end()));
        spans.add(sm);
      }
      m.put("spans", spans);
      m.put("template_id", r.templateId());
      out.add(m);
    }
    return out;
  }

  private static void write(Path outDir, String name, List<?> rows, Map<String, Integer> counts) {
    Jsonl.write(outDir.resolve(name), rows);
    counts.put(name, rows.size());
  }

  private void addLabelled(
      Map<String, SourcedText> byKey, Set<String> conflicting, String rel, String src) {
    for (JsonNode r : Jsonl.read(file(rel))) {
      String text = r.path("text").asText();
      if (text.isBlank()) {
        continue;
      }
      String label = JailbreakLabels.normalize(r.path("label").asText());
      String key = TextKey.of(text);
      SourcedText prev = byKey.get(key);
      if (prev == null) {
        byKey.put(key, new SourcedText(text, label, src));
      } else if (!prev.label().equals(label)) {
        conflicting.add(key);
      }
    }
  }

  /**
   * Adds a source's train / dev / eval parts; returns its train-part rows beyond {@code nTrain}.
   */
  private List<SourcedText> addOrdinary(
      List<SourcedText> train,
      List<SourcedText> dev,
      List<SourcedText> eval,
      String rel,
      String src,
      int nTrain,
      int nDev,
      int nEval) {
    List<SourcedText> rows = benign(readSourced(rel), src);
    List<List<SourcedText>> parts = SeededSplit.split(rows, r -> "all", seed, 0.5, 0.1, 0.4);
    train.addAll(parts.get(0).subList(0, Math.min(nTrain, parts.get(0).size())));
    dev.addAll(parts.get(1).subList(0, Math.min(nDev, parts.get(1).size())));
    eval.addAll(parts.get(2).subList(0, Math.min(nEval, parts.get(2).size())));
    return parts.get(0).subList(Math.min(nTrain, parts.get(0).size()), parts.get(0).size());
  }

  private static List<SourcedText> benign(List<SourcedText> rows, String src) {
    List<SourcedText> out = new ArrayList<>(rows.size());
    for (SourcedText r : rows) {
      out.add(new SourcedText(r.text(), JailbreakLabels.BENIGN, src));
    }
    return out;
  }

  private List<SourcedText> readSourced(String rel) {
    List<SourcedText> out = new ArrayList<>();
    for (JsonNode r : Jsonl.read(file(rel))) {
      out.add(
          new SourcedText(
              r.path("text").asText(), r.path("label").asText(), r.path("src").asText(rel)));
    }
    return out;
  }

  /** Hand-written prompt lists shipped as resources: one per line, '#' starts a comment line. */
  static List<SourcedText> readResourceLines(String name) {
    try (InputStream in = DatasetAssembler.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new DataException("missing resource " + name);
      }
      List<SourcedText> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          out.add(new SourcedText(t, JailbreakLabels.BENIGN, name));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * As {@link #readResourceLines}, benign, each line's leading {@code [tag] } moved into {@code
   * src}.
   */
  static List<SourcedText> readTaggedLines(String name) {
    List<SourcedText> out = new ArrayList<>();
    for (SourcedText r : readResourceLines(name)) {
      Matcher m = TAG.matcher(r.text());
      if (!m.matches()) {
        throw new DataException(name + ": line without a [source] tag: " + r.text());
      }
      out.add(new SourcedText(m.group(2), JailbreakLabels.BENIGN, m.group(1)));
    }
    return out;
  }

  private static final Pattern TAG = Pattern.compile("^\\[([^\\]]+)\\] (.+)$");

  private Path file(String rel) {
    Path p = dataDir.resolve(rel);
    if (!Files.isRegularFile(p)) {
      throw new DataException("missing data file " + p);
    }
    return p;
  }
}

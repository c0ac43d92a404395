package io.semroute.extproc.guard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.config.ConfigLocation;
import io.semroute.config.JailbreakGuardSettings;
import io.semroute.config.ModelPath;
import io.semroute.config.PiiSettings;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierKey;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.classifiers.LoadedPiiDetector;
import io.semroute.extproc.classifiers.LoadedSequenceClassifier;
import io.semroute.extproc.decision.LongPrompts;
import io.semroute.extproc.openai.ParsedRequest.ClientText;
import io.semroute.testkit.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the guards' cost per request (jailbreak + PII with the shipped models) for a 1-turn
 * and a growing 20-turn conversation, with the verdict cache (after) and with it cleared before
 * every request (before: every turn screened on every request), and a 6 MB prompt read the old way
 * (64 K characters of head + tail) vs windows. Prints figures; asserts nothing.
 *
 * <pre>
 * ./mvnw -B -o -pl router-extproc -am verify -Dtest=GuardScreeningCostBench \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dguard.bench=true
 * </pre>
 */
class GuardScreeningCostBench {
  static final String[] TURNS = {
    "Can you help me plan a week of vegetarian dinners?",
    "Great, and can you make Tuesday something quick, under 20 minutes?",
    "What would I need to buy for the whole week?",
    "Please group the shopping list by supermarket aisle.",
    "Thanks. Could you swap the lentil curry for something without coconut?",
    "How long does the chickpea stew keep in the fridge?",
    "Can I freeze it instead?",
    "Give me a dessert idea that uses leftover rice.",
    "Make the dessert less sweet please.",
    "What wine would go with the mushroom risotto?",
    "And a non-alcoholic option?",
    "Summarise the plan in a table with day, dish and prep time.",
    "Add a column with the calories per portion, roughly.",
    "Which of these dishes is highest in protein?",
    "Could you suggest a lunchbox version of two of them?",
    "My sister is coming on Friday, she is gluten-intolerant. What changes?",
    "Write the Friday recipe out step by step.",
    "How do I know when the risotto rice is done?",
    "Thanks! One more: a quick breakfast for the weekend?",
    "Great, please put everything into one final plan."
  };

  @Test
  void printsTheCostPerRequest() throws Exception {
    assumeTrue(Boolean.getBoolean("guard.bench"), "benchmark: run with -Dguard.bench=true");
    Path models = Fixtures.repo().resolve("models");
    try (ClassifierCache cache =
        new ClassifierCache(new ClassifierOpener(BatchPolicy.defaults()))) {
      ConfigLocation at = new ConfigLocation(Path.of("bench.yaml"), 1, "bench");
      LoadedSequenceClassifier jbModel =
          (LoadedSequenceClassifier)
              cache.get(
                  new ClassifierKey(
                      ClassifierKey.Kind.SEQUENCE, models.resolve("jailbreak"), "cpu", 0));
      LoadedPiiDetector piiModel =
          (LoadedPiiDetector)
              cache.get(new ClassifierKey(ClassifierKey.Kind.PII, models.resolve("pii"), "cpu", 0));
      JailbreakGuard jailbreak =
          JailbreakGuard.of(
              new JailbreakGuardSettings(true, new ModelPath(models.resolve("jailbreak"), at), 0.5),
              jbModel);
      PiiScanner pii = new PiiScanner(piiModel, new PiiSettings(true, null));
      RequestGuards guards = new RequestGuards(jailbreak, pii);
      // Warm up the models.
      for (int i = 0; i < 5; i++) {
        guards
            .start(List.of("warm up " + i), List.of(new ClientText("/p", "warm up " + i)))
            .await("w");
      }
      for (boolean cached : new boolean[] {false, true}) {
        for (int turns : new int[] {1, 20}) {
          run(guards, jailbreak, pii, turns, cached);
        }
      }
      // The 6 MB prompt: old reading (64 K chars head + tail) vs windows.
      StringBuilder sb = new StringBuilder();
      for (int i = 0; sb.length() < 6_000_000; i++) {
        sb.append("2026-12-06 INFO worker-")
            .append(i % 7)
            .append(" processed batch ")
            .append(i)
            .append('\n');
      }
      String huge = sb.toString();
      long t0 = System.nanoTime();
      jbModel.scores(LongPrompts.headAndTail(huge)).join();
      long oldNanos = System.nanoTime() - t0;
      jailbreak.cache().clear();
      t0 = System.nanoTime();
      jailbreak.check(List.of(huge)).join();
      long newNanos = System.nanoTime() - t0;
      System.out.printf(
          Locale.ROOT,
          "6 MB prompt, jailbreak guard: before (64 K chars head+tail, one"
              + " pass) %.0f ms; after (%d windows of %d chars) %.0f ms%n",
          oldNanos / 1e6,
          ScreenWindows.of(huge).size(),
          ScreenWindows.WINDOW_CHARS,
          newNanos / 1e6);
    }
  }

  /**
   * A conversation of {@code turns} user turns played as the client does: request k carries turns
   * 1..k. Prints the mean guard time per request and texts the models actually ran on.
   */
  private static void run(
      RequestGuards guards, JailbreakGuard jailbreak, PiiScanner pii, int turns, boolean cached) {
    int conversations = turns == 1 ? 40 : 3;
    long nanos = 0;
    long requests = 0;
    long missesBefore = jailbreak.cache().misses() + pii.cache().misses();
    for (int c = 0; c < conversations; c++) {
      jailbreak.cache().clear();
      pii.cache().clear();
      List<String> user = new ArrayList<>();
      List<ClientText> texts = new ArrayList<>();
      for (int k = 0; k < turns; k++) {
        String turn =
            turns == 1 ? TURNS[c % TURNS.length] + " (" + c + ")" : TURNS[k] + " [" + c + "]";
        user.add(turn);
        texts.add(new ClientText("/messages/" + (2 * k) + "/content", turn));
        if (!cached) {
          jailbreak.cache().clear();
          pii.cache().clear();
        }
        long t0 = System.nanoTime();
        guards.start(user, texts).await("bench");
        nanos += System.nanoTime() - t0;
        requests++;
      }
    }
    long passes = jailbreak.cache().misses() + pii.cache().misses() - missesBefore;
    System.out.printf(
        Locale.ROOT,
        "%-6s %2d-turn conversation: %.1f ms guard time per request,"
            + " %.1f model texts per request (jailbreak + PII), %d requests%n",
        cached ? "after" : "before",
        turns,
        nanos / 1e6 / requests,
        passes / (double) requests,
        requests);
  }
}

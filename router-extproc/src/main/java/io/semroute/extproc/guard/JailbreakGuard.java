package io.semroute.extproc.guard;

import io.semroute.config.JailbreakGuardSettings;
import io.semroute.config.ModelPath;
import io.semroute.extproc.classifiers.CascadeRisks;
import io.semroute.extproc.classifiers.LoadedSequenceClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Refuses jailbreak and prompt-injection attempts before they reach a model. Every user turn is
 * checked (a client builds the whole history it sends, so an attack can sit in any turn); the risk
 * of a turn is the model's probability of not being benign: {@code 1 - P(benign)} when the model
 * has a {@code benign} label (so multi-class guards with several attack labels work), else {@code
 * P(jailbreak)}. The verdict fires when any turn's risk reaches the block threshold; what happens
 * then (block or flag) is {@code classifier.jailbreak.action}. Below it, a risk at or above the
 * flag threshold marks the request flagged: forwarded, never refused.
 *
 * <p>With a second stage ({@code classifier.jailbreak.second_stage}) the guard is a cascade: the
 * first stage (a head on the shared encoder pass, nearly free) scores every window, and only a
 * window it scores at or above the escalate threshold is read by the second stage; its risk is then
 * the mean of both stages' risks ({@link CascadeRisks}). A window below the escalate threshold
 * keeps its first-stage risk, which the config keeps below the flag threshold, so it passes.
 *
 * <p>Bounded: a long turn is read as at most {@link ScreenWindows#MAX_WINDOWS} windows, and a
 * window already screened (same text) takes its risk from a bounded {@link VerdictCache}, so a
 * conversation pays for its new turns only.
 */
public final class JailbreakGuard {
  private final LoadedSequenceClassifier model;
  private final double threshold;
  private final double flagThreshold;
  private final String benignLabel;
  private final String jailbreakLabel;
  private final Stage second;
  private final double escalateThreshold;
  private final VerdictCache<Double> cache = new VerdictCache<>(VerdictCache.DEFAULT_CAPACITY);

  /** A classifier and how its scores read as a risk. */
  private record Stage(LoadedSequenceClassifier model, String benign, String jailbreak) {
    double risk(Map<String, Double> scores) {
      return benign != null ? 1.0 - scores.get(benign) : scores.get(jailbreak);
    }
  }

  private JailbreakGuard(
      LoadedSequenceClassifier model,
      double threshold,
      double flagThreshold,
      String benign,
      String jailbreak,
      Stage second,
      double escalateThreshold) {
    this.model = model;
    this.threshold = threshold;
    this.flagThreshold = flagThreshold;
    this.benignLabel = benign;
    this.jailbreakLabel = jailbreak;
    this.second = second;
    this.escalateThreshold = escalateThreshold;
  }

  /**
   * @throws io.semroute.config.ConfigException at {@code classifier.jailbreak.model} when the model
   *     has neither a {@code benign} nor a {@code jailbreak} label
   */
  public static JailbreakGuard of(JailbreakGuardSettings settings, LoadedSequenceClassifier model) {
    return of(settings, model, null);
  }

  /**
   * A cascade when {@code secondStage} is set (the classifier of {@code settings.secondStage()}).
   *
   * @throws io.semroute.config.ConfigException at the model's key when a model has neither a {@code
   *     benign} nor a {@code jailbreak} label
   */
  public static JailbreakGuard of(
      JailbreakGuardSettings settings,
      LoadedSequenceClassifier model,
      LoadedSequenceClassifier secondStage) {
    Stage first = stage(model, settings.model());
    Stage second = null;
    double escalate = 0.0;
    if (secondStage != null) {
      second = stage(secondStage, settings.secondStage().model());
      escalate = settings.secondStage().escalateThreshold();
    }
    return new JailbreakGuard(
        model,
        settings.threshold(),
        settings.flagThreshold(),
        first.benign(),
        first.jailbreak(),
        second,
        escalate);
  }

  private static Stage stage(LoadedSequenceClassifier model, ModelPath at) {
    String benign = find(model.labels(), "benign");
    String jailbreak = find(model.labels(), "jailbreak");
    if (benign == null && jailbreak == null) {
      throw at.error(
          "the model's labels ("
              + String.join(", ", model.labels())
              + ") name neither 'benign' nor 'jailbreak', so the guard cannot tell attacks apart");
    }
    return new Stage(model, benign, jailbreak);
  }

  private static String find(List<String> labels, String wanted) {
    return labels.stream()
        .filter(l -> l.toLowerCase(Locale.ROOT).equals(wanted))
        .findFirst()
        .orElse(null);
  }

  /** The block threshold. */
  public double threshold() {
    return threshold;
  }

  /** The flag threshold (equal to {@link #threshold()} when there is no flag band). */
  public double flagThreshold() {
    return flagThreshold;
  }

  /** The model's labels in logit order. */
  public List<String> labels() {
    return model.labels();
  }

  /** Queues every turn now; the verdict is read later (the category runs meanwhile). */
  public CompletableFuture<JailbreakVerdict> check(List<String> userTurns) {
    List<CompletableFuture<Double>> futures = new ArrayList<>();
    for (String turn : userTurns) {
      for (String window : ScreenWindows.of(turn)) {
        VerdictCache.Key key = VerdictCache.key(window);
        Double known = cache.get(key);
        if (known != null) {
          futures.add(CompletableFuture.completedFuture(known));
          continue;
        }
        futures.add(
            model
                .scores(window)
                .thenCompose(scores -> decide(window, risk(scores)))
                .thenApply(
                    risk -> {
                      cache.put(key, risk);
                      return risk;
                    }));
      }
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              double worst = 0.0;
              for (CompletableFuture<Double> f : futures) {
                worst = Math.max(worst, f.join());
              }
              return JailbreakVerdict.of(worst, threshold, flagThreshold);
            });
  }

  /**
   * The window's risk: the first stage's, or both stages' ({@link CascadeRisks}) when the first
   * escalates it. The second stage's lane is queued from the first stage's callback, so no thread
   * waits between them.
   */
  private CompletableFuture<Double> decide(String window, double firstRisk) {
    if (second == null || firstRisk < escalateThreshold) {
      return CompletableFuture.completedFuture(firstRisk);
    }
    return second
        .model()
        .scores(window)
        .thenApply(scores -> CascadeRisks.escalated(firstRisk, second.risk(scores)));
  }

  /** Whether a second stage decides the windows the first stage escalates. */
  public boolean cascade() {
    return second != null;
  }

  /** The verdict cache (for benchmarks and tests: hits, misses, size). */
  public VerdictCache<Double> cache() {
    return cache;
  }

  private double risk(Map<String, Double> scores) {
    return benignLabel != null ? 1.0 - scores.get(benignLabel) : scores.get(jailbreakLabel);
  }
}

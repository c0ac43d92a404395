package io.semroute.extproc.classifiers;

import io.semroute.config.ClassifierSettings;
import io.semroute.config.ModelPath;
import io.semroute.config.RouterConfig;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which classifiers a config needs, as cache keys (the single place that maps settings to keys).
 */
public final class RequiredClassifiers {
  private RequiredClassifiers() {}

  public static Optional<ClassifierKey> category(RouterConfig cfg) {
    return sequence(cfg.classifier(), cfg.classifier().categoryModel());
  }

  public static Optional<ClassifierKey> jailbreak(RouterConfig cfg) {
    ClassifierSettings c = cfg.classifier();
    return c.jailbreak().active() ? sequence(c, c.jailbreak().model()) : Optional.empty();
  }

  /**
   * The jailbreak guard's second stage ({@code classifier.jailbreak.second_stage}), when the guard
   * is on and has one.
   */
  public static Optional<ClassifierKey> jailbreakSecondStage(RouterConfig cfg) {
    ClassifierSettings c = cfg.classifier();
    return c.jailbreak().active() && c.jailbreak().secondStage() != null
        ? sequence(c, c.jailbreak().secondStage().model())
        : Optional.empty();
  }

  public static Optional<ClassifierKey> pii(RouterConfig cfg) {
    ClassifierSettings c = cfg.classifier();
    if (!c.pii().enabled()) {
      return Optional.empty();
    }
    ModelPath m = c.pii().model();
    return Optional.of(
        new ClassifierKey(
            ClassifierKey.Kind.PII, m == null ? null : m.dir(), c.device(), c.maxTokens()));
  }

  /**
   * Tokens the example embedder reads (head + tail). Examples are short utterances, and a long
   * prompt is compared on its ends: 128 tokens keep an embedding at a few ms instead of the ~300 ms
   * of MiniLM's full 512, which under load pushed requests past their deadline.
   */
  static final int EMBEDDER_MAX_TOKENS = 128;

  /**
   * The built-in embedder, needed as soon as any category lists {@code examples:} or the semantic
   * cache is on (its semantic tier; one loaded encoder serves both).
   */
  public static Optional<ClassifierKey> embedder(RouterConfig cfg) {
    boolean any =
        cfg.categories().stream().anyMatch(cat -> !cat.examples().isEmpty())
            || cfg.semanticCache().enabled();
    ClassifierSettings c = cfg.classifier();
    return any
        ? Optional.of(
            new ClassifierKey(ClassifierKey.Kind.EMBEDDER, null, c.device(), EMBEDDER_MAX_TOKENS))
        : Optional.empty();
  }

  /** The task-type model ({@code signals.task_type_model}), when a decision reads it. */
  public static Optional<ClassifierKey> taskType(RouterConfig cfg) {
    return cfg.decisions().needsTaskType()
        ? sequence(cfg.classifier(), cfg.decisions().taskTypeModel())
        : Optional.empty();
  }

  /**
   * The outcomes folder ({@code signals.outcomes.model}), when a decision reads predicted success.
   */
  public static Optional<ClassifierKey> outcomes(RouterConfig cfg) {
    ModelPath m = cfg.decisions().outcomesModel();
    return m != null && cfg.decisions().needsSuccess()
        ? Optional.of(
            new ClassifierKey(ClassifierKey.Kind.OUTCOMES, m.dir(), cfg.classifier().device(), 0))
        : Optional.empty();
  }

  public static Set<ClassifierKey> of(RouterConfig cfg) {
    Set<ClassifierKey> out = new LinkedHashSet<>();
    taskType(cfg).ifPresent(out::add);
    outcomes(cfg).ifPresent(out::add);
    category(cfg).ifPresent(out::add);
    jailbreak(cfg).ifPresent(out::add);
    jailbreakSecondStage(cfg).ifPresent(out::add);
    pii(cfg).ifPresent(out::add);
    embedder(cfg).ifPresent(out::add);
    return out;
  }

  private static Optional<ClassifierKey> sequence(ClassifierSettings c, ModelPath path) {
    return path == null
        ? Optional.empty()
        : Optional.of(
            new ClassifierKey(ClassifierKey.Kind.SEQUENCE, path.dir(), c.device(), c.maxTokens()));
  }
}

package io.semroute.extproc.server;

import io.semroute.config.ModelPath;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.cache.CacheStores;
import io.semroute.extproc.cache.SemanticCache;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierKey;
import io.semroute.extproc.classifiers.LoadedClassifier;
import io.semroute.extproc.classifiers.LoadedEmbedder;
import io.semroute.extproc.classifiers.LoadedOutcomeModel;
import io.semroute.extproc.classifiers.LoadedPiiDetector;
import io.semroute.extproc.classifiers.LoadedSequenceClassifier;
import io.semroute.extproc.classifiers.RequiredClassifiers;
import io.semroute.extproc.decision.CategoryLabels;
import io.semroute.extproc.decision.Classifier;
import io.semroute.extproc.decision.DecisionEngine;
import io.semroute.extproc.decision.ExampleClassifier;
import io.semroute.extproc.decision.KeywordClassifier;
import io.semroute.extproc.decision.OutcomePool;
import io.semroute.extproc.decision.SignalClassifier;
import io.semroute.extproc.decision.TaskTypeLabels;
import io.semroute.extproc.guard.JailbreakGuard;
import io.semroute.extproc.guard.PiiScanner;
import io.semroute.extproc.guard.RequestGuards;
import io.semroute.extproc.limits.FleetLimits;
import io.semroute.extproc.limits.LimitStores;
import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.pipeline.RouterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the {@link RouterSnapshot} of a config for {@code serve}: the decision engine over the
 * routing signals (category model, {@code examples:}, keyword rules; combined by {@link
 * SignalClassifier}) and the guards, with every classifier taken from the {@link ClassifierCache}
 * (opened once, reused across reloads).
 *
 * <p>Everything that can be wrong with a classifier for this config — a folder that does not load,
 * a category model whose labels do not match the categories, a jailbreak model without an attack
 * label — is reported as a {@link io.semroute.config.ConfigException} at the model's key, so
 * start-up fails with file:line:key and a reload is refused.
 */
public final class SnapshotBuilder implements Function<RouterConfig, RouterSnapshot> {
  private final ClassifierCache classifiers;
  private final CacheStores cacheStores;
  private final RouterMetrics metrics;
  private final LimitStores limitStores;

  /** Without a semantic cache: {@code semantic_cache:} is ignored (decision-only uses, tests). */
  public SnapshotBuilder(ClassifierCache classifiers) {
    this(classifiers, null, null);
  }

  /**
   * @param cacheStores the semantic cache's backends, kept across reloads, or null for none
   * @param metrics where the classifiers report batches and rejections, or null
   */
  public SnapshotBuilder(
      ClassifierCache classifiers, CacheStores cacheStores, RouterMetrics metrics) {
    this(classifiers, cacheStores, metrics, null);
  }

  /**
   * @param limitStores the limit state kept across reloads, or null for no limits
   */
  public SnapshotBuilder(
      ClassifierCache classifiers,
      CacheStores cacheStores,
      RouterMetrics metrics,
      LimitStores limitStores) {
    this.classifiers = classifiers;
    this.cacheStores = cacheStores;
    this.metrics = metrics;
    this.limitStores = limitStores;
  }

  @Override
  public RouterSnapshot apply(RouterConfig cfg) {
    Classifier model = null;
    Set<String> labels = Set.of();
    Optional<ClassifierKey> categoryKey = RequiredClassifiers.category(cfg);
    if (categoryKey.isPresent()) {
      LoadedSequenceClassifier m =
          load(
              categoryKey.get(),
              cfg.classifier().categoryModel(),
              LoadedSequenceClassifier.class,
              "category");
      CategoryLabels.check(cfg, m.labels());
      model = m;
      labels = Set.copyOf(m.labels());
    }
    List<Classifier> explicit = new ArrayList<>();
    RequiredClassifiers.embedder(cfg)
        .ifPresent(
            key -> {
              LoadedEmbedder embedder = load(key, null, LoadedEmbedder.class, "embedding");
              explicit.add(
                  new ExampleClassifier(
                      cfg.categories(), embedder, cfg.classifier().examplesThreshold()));
            });
    if (cfg.categories().stream().anyMatch(c -> !c.keywords().isEmpty())
        || (model == null && explicit.isEmpty())) {
      explicit.add(new KeywordClassifier(cfg.categories()));
    }
    List<String> order = cfg.categories().stream().map(c -> c.name()).toList();
    Classifier classifier =
        model != null && explicit.isEmpty()
            ? model
            : new SignalClassifier(order, model, labels, explicit);

    LoadedSequenceClassifier secondStage =
        RequiredClassifiers.jailbreakSecondStage(cfg)
            .map(
                key ->
                    load(
                        key,
                        cfg.classifier().jailbreak().secondStage().model(),
                        LoadedSequenceClassifier.class,
                        "jailbreak_second_stage"))
            .orElse(null);
    JailbreakGuard jailbreak =
        RequiredClassifiers.jailbreak(cfg)
            .map(
                key ->
                    JailbreakGuard.of(
                        cfg.classifier().jailbreak(),
                        load(
                            key,
                            cfg.classifier().jailbreak().model(),
                            LoadedSequenceClassifier.class,
                            "jailbreak"),
                        secondStage))
            .orElse(null);
    PiiScanner pii =
        RequiredClassifiers.pii(cfg)
            .map(
                key ->
                    new PiiScanner(
                        load(key, cfg.classifier().pii().model(), LoadedPiiDetector.class, "pii"),
                        cfg.classifier().pii()))
            .orElse(null);
    LoadedSequenceClassifier taskType =
        RequiredClassifiers.taskType(cfg)
            .map(
                key ->
                    load(
                        key,
                        cfg.decisions().taskTypeModel(),
                        LoadedSequenceClassifier.class,
                        "task_type"))
            .orElse(null);
    if (taskType != null) {
      TaskTypeLabels.check(cfg, taskType.labels());
    }
    LoadedOutcomeModel outcomes =
        RequiredClassifiers.outcomes(cfg)
            .map(
                key ->
                    load(
                        key, cfg.decisions().outcomesModel(), LoadedOutcomeModel.class, "outcomes"))
            .orElse(null);
    if (outcomes != null) {
      OutcomePool.check(cfg, outcomes.models());
    }
    return new RouterSnapshot(
        cfg,
        new DecisionEngine(cfg, classifier, taskType, outcomes),
        new RequestGuards(jailbreak, pii),
        semanticCache(cfg),
        limitStores == null ? FleetLimits.OFF : limitStores.limitsFor(cfg));
  }

  private SemanticCache semanticCache(RouterConfig cfg) {
    if (!cfg.semanticCache().enabled() || cacheStores == null) {
      return SemanticCache.OFF;
    }
    LoadedEmbedder embedder =
        RequiredClassifiers.embedder(cfg)
            .map(key -> load(key, null, LoadedEmbedder.class, "embedding"))
            .orElseThrow();
    return new SemanticCache(
        cfg.semanticCache(), cacheStores.get(cfg.semanticCache()), embedder::submitWhole);
  }

  private <T extends LoadedClassifier> T load(
      ClassifierKey key, ModelPath at, Class<T> type, String role) {
    LoadedClassifier m;
    try {
      m = classifiers.get(key);
    } catch (RuntimeException e) {
      if (at == null) {
        throw e;
      }
      throw at.error("cannot load the model: " + e.getMessage());
    }
    if (metrics != null) {
      m.observe(metrics, role);
    }
    return type.cast(m);
  }
}

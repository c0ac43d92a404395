package io.semroute.extproc.decision;

import io.semroute.config.ModelPath;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.guard.JailbreakGuard;
import io.semroute.extproc.guard.PiiScanner;
import io.semroute.extproc.guard.RequestGuards;
import io.semroute.extproc.models.EmbedderModel;
import io.semroute.extproc.models.ModelCache;
import io.semroute.extproc.models.ModelKey;
import io.semroute.extproc.models.PiiModel;
import io.semroute.extproc.models.RequiredModels;
import io.semroute.extproc.models.RunningModel;
import io.semroute.extproc.models.SequenceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the {@link DecisionEngine} of a config for {@code serve}: the routing signals (category
 * model, {@code examples:}, keyword rules; combined by {@link SignalClassifier}) and the guards,
 * with every model taken from the {@link ModelCache} (opened once, reused across reloads).
 *
 * <p>Everything that can be wrong with a model for this config — a folder that does not load, a
 * category model whose labels do not match the categories, a jailbreak model without an attack
 * label — is reported as a {@link io.semroute.config.ConfigException} at the model's key, so
 * start-up fails with file:line:key and a reload is refused.
 */
public final class EngineBuilder implements Function<RouterConfig, DecisionEngine> {
  private final ModelCache models;

  public EngineBuilder(ModelCache models) {
    this.models = models;
  }

  @Override
  public DecisionEngine apply(RouterConfig cfg) {
    Classifier model = null;
    Set<String> labels = Set.of();
    Optional<ModelKey> categoryKey = RequiredModels.category(cfg);
    if (categoryKey.isPresent()) {
      SequenceModel m = load(categoryKey.get(), cfg.classifier().categoryModel(), SequenceModel.class);
      CategoryLabels.check(cfg, m.labels());
      model = new SequenceClassifierAdapter(m);
      labels = Set.copyOf(m.labels());
    }
    List<Classifier> explicit = new ArrayList<>();
    RequiredModels.embedder(cfg).ifPresent(key -> {
      EmbedderModel embedder = load(key, null, EmbedderModel.class);
      explicit.add(new ExampleClassifier(cfg.categories(), embedder, cfg.classifier().examplesThreshold()));
    });
    if (cfg.categories().stream().anyMatch(c -> !c.keywords().isEmpty()) || (model == null && explicit.isEmpty())) {
      explicit.add(new KeywordClassifier(cfg.categories()));
    }
    List<String> order = cfg.categories().stream().map(c -> c.name()).toList();
    Classifier classifier = model != null && explicit.isEmpty()
        ? model
        : new SignalClassifier(order, model, labels, explicit);

    JailbreakGuard jailbreak = RequiredModels.jailbreak(cfg)
        .map(key -> JailbreakGuard.of(cfg.classifier().jailbreak(),
            load(key, cfg.classifier().jailbreak().model(), SequenceModel.class)))
        .orElse(null);
    PiiScanner pii = RequiredModels.pii(cfg)
        .map(key -> new PiiScanner(load(key, cfg.classifier().pii().model(), PiiModel.class)))
        .orElse(null);
    return new DecisionEngine(cfg, classifier, new RequestGuards(jailbreak, pii));
  }

  private <T extends RunningModel> T load(ModelKey key, ModelPath at, Class<T> type) {
    RunningModel m;
    try {
      m = models.get(key);
    } catch (RuntimeException e) {
      if (at == null) {
        throw e;
      }
      throw at.error("cannot load the model: " + e.getMessage());
    }
    return type.cast(m);
  }
}

package io.semroute.extproc.decision;

import io.semroute.config.RouterConfig;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Hands out the {@link DecisionEngine} for the current config. The config comes from a supplier
 * (a fixed config, or the hot-reload watcher's current value); when the supplier returns a new
 * config object the engine — including its compiled classifier — is rebuilt once and swapped
 * atomically. Readers never see a half-built engine.
 */
public final class DecisionEngines {
  private final Supplier<RouterConfig> configSupplier;
  private final Function<RouterConfig, Classifier> classifierFactory;
  private volatile DecisionEngine current;

  public DecisionEngines(
      Supplier<RouterConfig> configSupplier, Function<RouterConfig, Classifier> classifierFactory) {
    this.configSupplier = configSupplier;
    this.classifierFactory = classifierFactory;
    this.current = new DecisionEngine(configSupplier.get(), classifierFactory);
  }

  /** Keyword rules only (this signal). */
  public static DecisionEngines keywordOnly(Supplier<RouterConfig> configSupplier) {
    return new DecisionEngines(configSupplier, cfg -> new KeywordClassifier(cfg.categories()));
  }

  public DecisionEngine current() {
    RouterConfig cfg = configSupplier.get();
    DecisionEngine engine = current;
    if (engine.config() != cfg) {
      synchronized (this) {
        engine = current;
        if (engine.config() != cfg) {
          engine = new DecisionEngine(cfg, classifierFactory);
          current = engine;
        }
      }
    }
    return engine;
  }
}

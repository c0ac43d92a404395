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
  private final Function<RouterConfig, DecisionEngine> engineFactory;
  private volatile DecisionEngine current;
  private volatile DecisionEngine prepared;

  public DecisionEngines(
      Supplier<RouterConfig> configSupplier, Function<RouterConfig, Classifier> classifierFactory) {
    this((RouterConfig cfg) -> new DecisionEngine(cfg, classifierFactory), configSupplier);
  }

  private DecisionEngines(
      Function<RouterConfig, DecisionEngine> engineFactory, Supplier<RouterConfig> configSupplier) {
    this.configSupplier = configSupplier;
    this.engineFactory = engineFactory;
    this.current = engineFactory.apply(configSupplier.get());
  }

  /**
   * Engines built by {@code engineFactory} (which may open models and refuse a config with a
   * {@link io.semroute.config.ConfigException}); the first one is built now.
   */
  public static DecisionEngines of(
      Supplier<RouterConfig> configSupplier, Function<RouterConfig, DecisionEngine> engineFactory) {
    return new DecisionEngines(engineFactory, configSupplier);
  }

  /** Keyword rules only (no models). */
  public static DecisionEngines keywordOnly(Supplier<RouterConfig> configSupplier) {
    return new DecisionEngines(configSupplier, cfg -> new KeywordClassifier(cfg.categories()));
  }

  /**
   * Builds the engine for a config that is about to become current (the config watcher's
   * preparation step), so loading models happens before the swap and a refused config never
   * becomes current. The next {@link #current()} that sees {@code cfg} takes this engine.
   */
  public void prepare(RouterConfig cfg) {
    prepared = engineFactory.apply(cfg);
  }

  public DecisionEngine current() {
    RouterConfig cfg = configSupplier.get();
    DecisionEngine engine = current;
    if (engine.config() != cfg) {
      synchronized (this) {
        engine = current;
        if (engine.config() != cfg) {
          DecisionEngine ready = prepared;
          engine = ready != null && ready.config() == cfg ? ready : engineFactory.apply(cfg);
          prepared = null;
          current = engine;
        }
      }
    }
    return engine;
  }
}

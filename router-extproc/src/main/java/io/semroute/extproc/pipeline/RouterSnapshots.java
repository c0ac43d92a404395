package io.semroute.extproc.pipeline;

import io.semroute.config.RouterConfig;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Hands out the {@link RouterSnapshot} for the current config. The config comes from a supplier (a
 * fixed config, or the hot-reload watcher's current value); when the supplier returns a new config
 * object the snapshot — including its compiled classifier and guards — is rebuilt once and swapped
 * atomically. Readers never see a half-built snapshot.
 */
public final class RouterSnapshots {
  private final Supplier<RouterConfig> configSupplier;
  private final Function<RouterConfig, RouterSnapshot> factory;
  private volatile RouterSnapshot current;
  private volatile RouterSnapshot prepared;

  private RouterSnapshots(
      Supplier<RouterConfig> configSupplier, Function<RouterConfig, RouterSnapshot> factory) {
    this.configSupplier = configSupplier;
    this.factory = factory;
    this.current = factory.apply(configSupplier.get());
  }

  /**
   * Snapshots built by {@code factory} (which may open classifiers and refuse a config with a
   * {@link io.semroute.config.ConfigException}); the first one is built now.
   */
  public static RouterSnapshots of(
      Supplier<RouterConfig> configSupplier, Function<RouterConfig, RouterSnapshot> factory) {
    return new RouterSnapshots(configSupplier, factory);
  }

  /** Keyword rules only (no classifiers, no guards). */
  public static RouterSnapshots keywordOnly(Supplier<RouterConfig> configSupplier) {
    return new RouterSnapshots(configSupplier, RouterSnapshot::keywordOnly);
  }

  /**
   * Builds the snapshot for a config that is about to become current (the config watcher's
   * preparation step), so loading classifiers happens before the swap and a refused config never
   * becomes current. The next {@link #current()} that sees {@code cfg} takes this snapshot.
   */
  public void prepare(RouterConfig cfg) {
    prepared = factory.apply(cfg);
  }

  public RouterSnapshot current() {
    RouterConfig cfg = configSupplier.get();
    RouterSnapshot snapshot = current;
    if (snapshot.config() != cfg) {
      synchronized (this) {
        snapshot = current;
        if (snapshot.config() != cfg) {
          RouterSnapshot ready = prepared;
          snapshot = ready != null && ready.config() == cfg ? ready : factory.apply(cfg);
          prepared = null;
          current = snapshot;
        }
      }
    }
    return snapshot;
  }
}

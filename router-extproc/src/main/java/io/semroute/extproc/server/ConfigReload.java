package io.semroute.extproc.server;

import io.semroute.config.ConfigException;
import io.semroute.config.Listeners;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.cache.CacheStores;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.RequiredClassifiers;
import io.semroute.extproc.limits.LimitStores;
import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.pipeline.RouterSnapshot;
import io.semroute.extproc.pipeline.RouterSnapshots;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code serve} does with each new config file the watcher parsed: build its snapshot (opening
 * the classifiers it names), swap it in, then close the classifiers and cache backends no config in
 * force names any more.
 *
 * <p>Building comes first and may refuse the config with a {@link ConfigException} (a category
 * model whose labels do not fit the categories): then nothing has changed, the watcher keeps the
 * previous config and counts a failed reload.
 */
final class ConfigReload implements Consumer<RouterConfig> {
  private static final Logger log = LoggerFactory.getLogger(ConfigReload.class);

  private final Listeners listeners;
  private final Function<RouterConfig, RouterSnapshot> builder;
  private final RouterSnapshots snapshots;
  private final ClassifierCache classifiers;
  private final CacheStores cacheStores;
  private final RouterMetrics metrics;
  private final LimitStores limitStores;

  /** Without limit state. */
  ConfigReload(
      Listeners listeners,
      Function<RouterConfig, RouterSnapshot> builder,
      RouterSnapshots snapshots,
      ClassifierCache classifiers,
      CacheStores cacheStores,
      RouterMetrics metrics) {
    this(listeners, builder, snapshots, classifiers, cacheStores, metrics, null);
  }

  /**
   * @param listeners the ports the server listens on (they change only on restart)
   * @param limitStores the limit state kept across reloads, or null
   */
  ConfigReload(
      Listeners listeners,
      Function<RouterConfig, RouterSnapshot> builder,
      RouterSnapshots snapshots,
      ClassifierCache classifiers,
      CacheStores cacheStores,
      RouterMetrics metrics,
      LimitStores limitStores) {
    this.listeners = listeners;
    this.builder = builder;
    this.snapshots = snapshots;
    this.classifiers = classifiers;
    this.cacheStores = cacheStores;
    this.metrics = metrics;
    this.limitStores = limitStores;
  }

  @Override
  public void accept(RouterConfig next) {
    RouterSnapshot built = builder.apply(next);
    snapshots.swap(built);
    // Classifiers the new config also names were reused by the build (same key, same object);
    // the others are closed now.
    classifiers.retainOnly(RequiredClassifiers.of(next));
    cacheStores.retainOnly(next.semanticCache());
    if (limitStores != null) {
      limitStores.retainOnly(next);
    }
    metrics.configReload(true);
    if (!next.listeners().equals(listeners)) {
      log.warn(
          "config reload changed listener ports to {}; ports change only on restart (still {})",
          next.listeners(),
          listeners);
    }
    log.info(
        "config reloaded from {}: {} models, {} categories, default {}",
        next.source(),
        next.models().size(),
        next.categories().size(),
        next.defaultModel());
  }
}

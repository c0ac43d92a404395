package io.semroute.extproc.cache;

import io.semroute.config.SemanticCacheSettings;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache backends {@code serve} has open. Entries must survive a config reload, so each snapshot
 * asks here for its backend and gets the same one back while the backend's own settings (kind, size
 * bound, Redis address and prefix) stay the same; once a new config is in force {@link #retainOnly}
 * closes what it no longer uses.
 */
public final class CacheStores implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CacheStores.class);

  private final Map<String, CacheStore> open = new HashMap<>();

  /** The backend for these settings, opened now if needed; null when the cache is off. */
  public synchronized CacheStore get(SemanticCacheSettings s) {
    if (!s.enabled()) {
      return null;
    }
    return open.computeIfAbsent(
        identity(s),
        k -> {
          CacheStore store =
              s.backend() == SemanticCacheSettings.Backend.REDIS
                  ? new RedisCacheStore(s.redis())
                  : new MemoryCacheStore(s.maxEntries());
          log.info("semantic cache: {}", store.describe());
          return store;
        });
  }

  /** Closes every backend but the one {@code s} uses. */
  public synchronized void retainOnly(SemanticCacheSettings s) {
    String keep = s.enabled() ? identity(s) : null;
    open.entrySet()
        .removeIf(
            e -> {
              if (e.getKey().equals(keep)) {
                return false;
              }
              log.info(
                  "semantic cache: closing {} (no longer configured)", e.getValue().describe());
              e.getValue().close();
              return true;
            });
  }

  private static String identity(SemanticCacheSettings s) {
    return s.backend() == SemanticCacheSettings.Backend.REDIS
        ? "redis|" + s.redis()
        : "memory|" + s.maxEntries();
  }

  @Override
  public synchronized void close() {
    open.values().forEach(CacheStore::close);
    open.clear();
  }
}

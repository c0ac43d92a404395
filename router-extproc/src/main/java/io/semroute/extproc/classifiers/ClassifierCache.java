package io.semroute.extproc.classifiers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classifiers {@code serve} has open, by {@link ClassifierKey}. Opening one costs seconds and a
 * few hundred MB, so a config reload asks here first and only opens what changed; once the new
 * config is in force, {@link #retainOnly} closes what it no longer names. Without this a reload
 * storm (an editor writing the file five times) would reload every classifier five times.
 */
public final class ClassifierCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClassifierCache.class);

  private final Function<ClassifierKey, LoadedClassifier> opener;
  private final Map<ClassifierKey, LoadedClassifier> open = new LinkedHashMap<>();
  private int opened;

  /**
   * @param opener opens one model (slow; called at most once per key while it stays cached)
   */
  public ClassifierCache(Function<ClassifierKey, LoadedClassifier> opener) {
    this.opener = opener;
  }

  /** The cached model for {@code key}, opened now if needed. */
  public synchronized LoadedClassifier get(ClassifierKey key) {
    LoadedClassifier m = open.get(key);
    if (m == null) {
      long t0 = System.nanoTime();
      m = opener.apply(key);
      open.put(key, m);
      opened++;
      log.info("loaded {} in {} ms", key, (System.nanoTime() - t0) / 1_000_000);
    }
    return m;
  }

  /** Closes every model not in {@code keep} (called once a new config is in force). */
  public synchronized void retainOnly(Set<ClassifierKey> keep) {
    open.entrySet()
        .removeIf(
            e -> {
              if (keep.contains(e.getKey())) {
                return false;
              }
              log.info("unloading {} (no longer configured)", e.getKey());
              e.getValue().close();
              return true;
            });
  }

  /** How many times a model was opened since start (a reload that reuses models adds nothing). */
  public synchronized int openCount() {
    return opened;
  }

  public synchronized Set<ClassifierKey> keys() {
    return Set.copyOf(open.keySet());
  }

  @Override
  public synchronized void close() {
    retainOnly(Set.of());
  }
}

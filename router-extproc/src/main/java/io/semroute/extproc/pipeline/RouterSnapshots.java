package io.semroute.extproc.pipeline;

import io.semroute.config.RouterConfig;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link RouterSnapshot} new streams are served with. A reload builds the next snapshot in full
 * (classifiers opened, guards set up) before it {@link #swap swaps} it in, so readers never see a
 * half-built one; a stream keeps the snapshot it took when it opened.
 */
public final class RouterSnapshots {
  private final AtomicReference<RouterSnapshot> current;

  private RouterSnapshots(RouterSnapshot first) {
    this.current = new AtomicReference<>(first);
  }

  /** Serving {@code first} until the next {@link #swap}. */
  public static RouterSnapshots of(RouterSnapshot first) {
    return new RouterSnapshots(first);
  }

  /** Keyword rules only (no classifiers, no guards). */
  public static RouterSnapshots keywordOnly(RouterConfig config) {
    return of(RouterSnapshot.keywordOnly(config));
  }

  /**
   * No snapshot yet: {@link #current()} is null until the first {@link #swap} (a server whose
   * classifiers are still loading).
   */
  public static RouterSnapshots empty() {
    return new RouterSnapshots(null);
  }

  /** The snapshot new streams take; null only before the first snapshot of {@link #empty()}. */
  public RouterSnapshot current() {
    return current.get();
  }

  /** Makes {@code next} current: streams opened from now on take it. */
  public void swap(RouterSnapshot next) {
    current.set(next);
  }
}

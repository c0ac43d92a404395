package io.semroute.extproc.pipeline;

import io.semroute.config.Listeners;
import java.util.concurrent.Semaphore;

/**
 * How many requests may run their classifiers at once ({@code listeners.max_in_flight}). A request
 * waiting for its classifiers holds one of the server's bounded worker threads, so without a limit
 * a slow classifier (or a flood) would park every thread behind a queue that only grows. One
 * request over the limit is not queued: it gets {@code listeners.on_overload} at once, either
 * routed unclassified (fail open) or a 503 (fail closed).
 */
public final class Admission {
  private final int limit;
  private final Listeners.Overload onOverload;
  private final Semaphore permits;

  public Admission(int limit, Listeners.Overload onOverload) {
    this.limit = limit;
    this.onOverload = onOverload;
    this.permits = new Semaphore(limit);
  }

  public static Admission of(Listeners listeners) {
    return new Admission(listeners.maxInFlight(), listeners.onOverload());
  }

  /** Takes a slot if one is free, never waits. */
  public boolean tryEnter() {
    return permits.tryAcquire();
  }

  public void leave() {
    permits.release();
  }

  public int limit() {
    return limit;
  }

  public Listeners.Overload onOverload() {
    return onOverload;
  }

  /** Requests running their classifiers now. */
  public int inFlight() {
    return limit - permits.availablePermits();
  }
}

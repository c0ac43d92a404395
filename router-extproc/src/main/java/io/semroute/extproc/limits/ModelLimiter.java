package io.semroute.extproc.limits;

import io.semroute.config.ModelLimits;
import io.semroute.config.ModelSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@code models.<name>.limits}: what each model may take across all tenants. The decision asks
 * {@link #atLimit} to skip a model that is full (an {@code auto} request then goes to its next
 * candidate), then {@link #tryAcquire} takes the request's share atomically (it may still lose a
 * race, and then moves on the same way). Requests per minute and tokens per minute are counted in
 * the {@link CounterStore} (shared by the replicas with Redis); {@code max_concurrent} is counted
 * in this replica, since requests in flight are a replica's own.
 *
 * <p>A store failure never makes a model look full: model limits protect a backend from overload,
 * and refusing every request because Redis is down would be the larger outage. Failures are counted
 * in {@link #storeFailures}.
 */
public final class ModelLimiter {
  private final Map<String, ModelLimits> limits = new HashMap<>();
  private final Map<String, AtomicInteger> inFlight = new HashMap<>();
  private final CounterStore store;
  private final LongSupplier millis;
  private final AtomicLong storeFailures = new AtomicLong();

  public ModelLimiter(Map<String, ModelSpec> models, CounterStore store, LongSupplier millis) {
    for (ModelSpec m : models.values()) {
      if (m.limits().limited()) {
        limits.put(m.name(), m.limits());
        inFlight.put(m.name(), new AtomicInteger());
      }
    }
    this.store = store;
    this.millis = millis;
  }

  /** Whether the model has no room for one more request now (false for unlimited models). */
  public boolean atLimit(String model) {
    ModelLimits l = limits.get(model);
    if (l == null) {
      return false;
    }
    if (l.maxConcurrent() > 0 && inFlight.get(model).get() >= l.maxConcurrent()) {
      return true;
    }
    long now = millis.getAsLong();
    List<String> keys = new ArrayList<>();
    List<Long> budgets = new ArrayList<>();
    if (l.requestsPerMinute() > 0) {
      keys.add(key(model, "r", now));
      budgets.add(l.requestsPerMinute());
    }
    if (l.tokensPerMinute() > 0) {
      keys.add(key(model, "t", now));
      budgets.add(l.tokensPerMinute());
    }
    if (keys.isEmpty()) {
      return false;
    }
    long[] used;
    try {
      used = store.values(keys);
    } catch (StoreUnavailableException e) {
      storeFailures.incrementAndGet();
      return false;
    }
    for (int i = 0; i < used.length; i++) {
      if (used[i] >= budgets.get(i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes one request (and its prompt estimate) from the model's limits, or returns null when a
   * limit has no room for it. Unlimited models always get a permit.
   */
  public ModelPermit tryAcquire(String model, long estimatedTokens) {
    ModelLimits l = limits.get(model);
    if (l == null) {
      return new ModelPermit(model, false, List.of(), 0);
    }
    boolean slot = l.maxConcurrent() > 0;
    if (slot && !takeSlot(inFlight.get(model), l.maxConcurrent())) {
      return null;
    }
    long now = millis.getAsLong();
    long estimate = Math.max(0, estimatedTokens);
    List<Counter> counters = new ArrayList<>();
    List<String> tokenKeys = new ArrayList<>();
    long ttl = Window.MINUTE.remainingMillis(now);
    if (l.requestsPerMinute() > 0) {
      counters.add(new Counter(key(model, "r", now), l.requestsPerMinute(), 1, ttl));
    }
    if (l.tokensPerMinute() > 0) {
      counters.add(new Counter(key(model, "t", now), l.tokensPerMinute(), estimate, ttl));
      tokenKeys.add(key(model, "t", now));
    }
    if (!counters.isEmpty()) {
      try {
        if (!store.tryAdd(counters).added()) {
          if (slot) {
            inFlight.get(model).decrementAndGet();
          }
          return null;
        }
      } catch (StoreUnavailableException e) {
        storeFailures.incrementAndGet();
        tokenKeys.clear();
      }
    }
    return new ModelPermit(model, slot, tokenKeys, estimate);
  }

  /** Gives the permit's concurrent slot back (the answer ended or failed); idempotent. */
  public void release(ModelPermit permit) {
    if (permit.holdsSlot() && permit.markReleased()) {
      inFlight.get(permit.model()).decrementAndGet();
    }
  }

  /** Replaces the permit's token estimate with the answer's real count. */
  public void settle(ModelPermit permit, long actualTokens) {
    long delta = Math.max(0, actualTokens) - permit.estimatedTokens();
    if (permit.tokenKeys().isEmpty() || delta == 0) {
      return;
    }
    try {
      store.adjust(permit.tokenKeys(), delta);
    } catch (StoreUnavailableException e) {
      storeFailures.incrementAndGet();
    }
  }

  /** Requests to the model in flight on this replica (0 for models without max_concurrent). */
  public int inFlight(String model) {
    AtomicInteger n = inFlight.get(model);
    return n == null ? 0 : n.get();
  }

  /** Store calls that failed since start. */
  public long storeFailures() {
    return storeFailures.get();
  }

  private static boolean takeSlot(AtomicInteger n, int max) {
    while (true) {
      int now = n.get();
      if (now >= max) {
        return false;
      }
      if (n.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Model counters carry the model in their hash tag, apart from every tenant's. */
  private static String key(String model, String kind, long now) {
    return "{model:" + model + "}:" + kind + Window.MINUTE.tag + ":" + Window.MINUTE.index(now);
  }
}

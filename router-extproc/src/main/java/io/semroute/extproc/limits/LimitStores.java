package io.semroute.extproc.limits;

import io.semroute.config.ModelLimits;
import io.semroute.config.ModelSpec;
import io.semroute.config.RateLimitSettings;
import io.semroute.config.ResilienceSettings;
import io.semroute.config.RouterConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limit state {@code serve} keeps across config reloads, as {@code CacheStores} keeps cache
 * entries: the counter store (one per backend and Redis address), the {@link ModelLimiter} with its
 * in-flight slots (kept while no model's limits change) and the {@link CircuitBreakers} (kept while
 * their settings stay the same). {@link #limitsFor} makes each snapshot's {@link FleetLimits}; the
 * {@link RateLimiter} holds no state of its own and is made anew per config.
 *
 * <p>Model limits are counted in the {@code rate_limits:} store when there is one (so replicas
 * sharing Redis share them too), else in this replica's memory.
 */
public final class LimitStores implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LimitStores.class);

  private final LongSupplier millis;
  private final BreakerListener listener;
  private final Runnable onStoreFailure;
  private final Map<String, CounterStore> open = new HashMap<>();

  private ModelLimiter modelLimiter;
  private Map<String, ModelLimits> modelLimits;
  private CounterStore modelStore;
  private CircuitBreakers breakers;
  private ResilienceSettings.CircuitBreaker breakerSettings;

  /**
   * @param millis the clock of windows, cool-downs and Redis back-off
   * @param listener told of every breaker state change
   * @param onStoreFailure called for every store call that could not be answered
   */
  public LimitStores(LongSupplier millis, BreakerListener listener, Runnable onStoreFailure) {
    this.millis = millis;
    this.listener = listener;
    this.onStoreFailure = onStoreFailure;
  }

  /** The limits of {@code cfg}, reusing the stateful parts of earlier configs where they fit. */
  public synchronized FleetLimits limitsFor(RouterConfig cfg) {
    RateLimitSettings rl = cfg.rateLimits();
    RateLimiter rateLimiter = rl.enabled() ? new RateLimiter(rl, store(rl), millis) : null;

    Map<String, ModelLimits> wanted = new TreeMap<>();
    for (ModelSpec m : cfg.models().values()) {
      if (m.limits().limited()) {
        wanted.put(m.name(), m.limits());
      }
    }
    ModelLimiter models = null;
    if (!wanted.isEmpty()) {
      CounterStore s = store(rl);
      if (modelLimiter == null || !wanted.equals(modelLimits) || s != modelStore) {
        modelLimiter = new ModelLimiter(cfg.models(), s, millis);
        modelLimits = wanted;
        modelStore = s;
      }
      models = modelLimiter;
    } else {
      modelLimiter = null;
      modelLimits = null;
      modelStore = null;
    }

    ResilienceSettings res = cfg.resilience();
    if (breakers == null || !sameBreakerSettings(res.circuitBreaker())) {
      breakers = new CircuitBreakers(res.circuitBreaker(), millis, listener);
      breakerSettings = res.circuitBreaker();
    }
    return new FleetLimits(rateLimiter, models, breakers, new FallbackPolicy(res.fallback()));
  }

  private boolean sameBreakerSettings(ResilienceSettings.CircuitBreaker s) {
    return s.equals(breakerSettings);
  }

  /** Closes every counter store {@code cfg} does not use. */
  public synchronized void retainOnly(RouterConfig cfg) {
    String keep = identity(cfg.rateLimits());
    open.entrySet()
        .removeIf(
            e -> {
              if (e.getKey().equals(keep)) {
                return false;
              }
              log.info("rate limits: closing {} (no longer configured)", e.getValue().describe());
              e.getValue().close();
              return true;
            });
  }

  private CounterStore store(RateLimitSettings rl) {
    return open.computeIfAbsent(
        identity(rl),
        k -> {
          CounterStore s =
              rl.enabled() && rl.backend() == RateLimitSettings.Backend.REDIS
                  ? new RedisCounterStore(rl.redis(), millis)
                  : new MemoryCounterStore(millis);
          log.info("rate limits: counters in {}", s.describe());
          return new CountingStore(s, onStoreFailure);
        });
  }

  private static String identity(RateLimitSettings rl) {
    return rl.enabled() && rl.backend() == RateLimitSettings.Backend.REDIS
        ? "redis|" + rl.redis()
        : "memory";
  }

  @Override
  public synchronized void close() {
    open.values().forEach(CounterStore::close);
    open.clear();
  }
}

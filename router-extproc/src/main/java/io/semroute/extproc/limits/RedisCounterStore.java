package io.semroute.extproc.limits;

import io.semroute.config.SemanticCacheSettings.RedisSettings;
import io.semroute.extproc.redis.RedisClients;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Counters in one Redis shared by every replica (Jedis, pooled). An admission is one Lua script, so
 * checking every counter of a request and adding to all of them is one atomic step on the server:
 * two replicas can never both take the last unit of a budget. Keys are {@code key_prefix + key};
 * callers put the tenant in a hash tag ({@code {...}}) so one request's counters share a cluster
 * slot. Each counter expires with its window ({@code PEXPIRE} relative to the caller's clock, so
 * replicas only need to agree on which window it is).
 *
 * <p>When Redis fails, every call throws {@link StoreUnavailableException}, and for {@link
 * #RETRY_AFTER_MILLIS} after a failure the store does not even try (a dead server costs no time per
 * request); going away and coming back are logged once each.
 */
public final class RedisCounterStore implements CounterStore {
  private static final Logger log = LoggerFactory.getLogger(RedisCounterStore.class);

  static final long RETRY_AFTER_MILLIS = 1_000;
  static final int TIMEOUT_MILLIS = 250;
  static final int POOL_SIZE = 32;

  /**
   * KEYS: the counters; ARGV: limit, cost, ttl ms per counter. Returns {added (1|0), value...}.
   * {@code GET} of a missing key is false, read as 0.
   */
  static final String TRY_ADD =
      """
      local values = {}
      local fits = 1
      for i = 1, #KEYS do
        local base = (i - 1) * 3
        local used = tonumber(redis.call('GET', KEYS[i]) or '0')
        values[i + 1] = used
        if used + tonumber(ARGV[base + 2]) > tonumber(ARGV[base + 1]) then fits = 0 end
      end
      if fits == 1 then
        for i = 1, #KEYS do
          local base = (i - 1) * 3
          values[i + 1] = redis.call('INCRBY', KEYS[i], ARGV[base + 2])
          redis.call('PEXPIRE', KEYS[i], ARGV[base + 3])
        end
      end
      values[1] = fits
      return values
      """;

  /** KEYS: counters; ARGV[1]: delta. Only counters that still exist; never below 0. */
  static final String ADJUST =
      """
      for i = 1, #KEYS do
        if redis.call('EXISTS', KEYS[i]) == 1 then
          if redis.call('INCRBY', KEYS[i], ARGV[1]) < 0 then
            redis.call('SET', KEYS[i], 0, 'KEEPTTL')
          end
        end
      end
      return 0
      """;

  private static final String TRY_ADD_SHA = sha1(TRY_ADD);
  private static final String ADJUST_SHA = sha1(ADJUST);

  private final JedisPooled redis;
  private final String prefix;
  private final String address;
  private final LongSupplier millis;
  private final AtomicBoolean down = new AtomicBoolean();
  private volatile long retryAt;

  /**
   * @param millis the clock of the retry back-off
   */
  public RedisCounterStore(RedisSettings settings, LongSupplier millis) {
    this(settings, millis, TIMEOUT_MILLIS);
  }

  /**
   * @param timeoutMillis connect, read and pool-wait timeout (tests on a loaded machine use more)
   */
  RedisCounterStore(RedisSettings settings, LongSupplier millis, int timeoutMillis) {
    // A busy pool is a store failure (fail_open decides), not a stall.
    this.redis = RedisClients.pooled(settings, "semantic-router-limits", timeoutMillis, POOL_SIZE);
    this.prefix = settings.keyPrefix();
    this.address = settings.address();
    this.millis = millis;
  }

  @Override
  public Outcome tryAdd(List<Counter> counters) {
    List<String> keys = new ArrayList<>(counters.size());
    List<String> args = new ArrayList<>(counters.size() * 3);
    for (Counter c : counters) {
      keys.add(prefix + c.key());
      args.add(Long.toString(c.limit()));
      args.add(Long.toString(c.cost()));
      args.add(Long.toString(Math.max(1, c.ttlMillis())));
    }
    List<?> reply = (List<?>) run(TRY_ADD, TRY_ADD_SHA, keys, args);
    long[] values = new long[counters.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (Long) reply.get(i + 1);
    }
    return new Outcome((Long) reply.get(0) == 1L, values);
  }

  @Override
  public void adjust(List<String> keys, long delta) {
    if (keys.isEmpty() || delta == 0) {
      return;
    }
    run(ADJUST, ADJUST_SHA, prefixed(keys), List.of(Long.toString(delta)));
  }

  @Override
  public long[] values(List<String> keys) {
    long[] out = new long[keys.size()];
    if (keys.isEmpty()) {
      return out;
    }
    checkAvailable();
    try {
      List<String> got = redis.mget(prefixed(keys).toArray(String[]::new));
      up();
      for (int i = 0; i < out.length; i++) {
        out[i] = got.get(i) == null ? 0 : Long.parseLong(got.get(i));
      }
      return out;
    } catch (JedisException e) {
      throw failed(e);
    }
  }

  private List<String> prefixed(List<String> keys) {
    List<String> out = new ArrayList<>(keys.size());
    keys.forEach(k -> out.add(prefix + k));
    return out;
  }

  /** EVALSHA, and EVAL (which caches the script again) after a restart or failover lost it. */
  private Object run(String script, String sha, List<String> keys, List<String> args) {
    checkAvailable();
    try {
      Object reply;
      try {
        reply = redis.evalsha(sha, keys, args);
      } catch (JedisNoScriptException e) {
        reply = redis.eval(script, keys, args);
      }
      up();
      return reply;
    } catch (JedisException e) {
      throw failed(e);
    }
  }

  private void checkAvailable() {
    if (down.get() && millis.getAsLong() < retryAt) {
      throw new StoreUnavailableException(
          "Redis at " + address + " failed less than " + RETRY_AFTER_MILLIS + " ms ago", null);
    }
  }

  private void up() {
    if (down.compareAndSet(true, false)) {
      log.info("rate limits: Redis at {} is reachable again", address);
    }
  }

  private StoreUnavailableException failed(JedisException e) {
    retryAt = millis.getAsLong() + RETRY_AFTER_MILLIS;
    if (down.compareAndSet(false, true)) {
      log.warn(
          "rate limits: Redis at {} failed ({}); retrying every {} ms",
          address,
          e.getMessage(),
          RETRY_AFTER_MILLIS);
    }
    return new StoreUnavailableException("Redis at " + address + ": " + e.getMessage(), e);
  }

  /** Whether the last call failed. */
  public boolean isDown() {
    return down.get();
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String describe() {
    return "redis " + address + " (prefix " + prefix + ")";
  }

  @Override
  public void close() {
    redis.close();
  }
}

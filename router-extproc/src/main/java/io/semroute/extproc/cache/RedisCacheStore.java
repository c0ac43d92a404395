package io.semroute.extproc.cache;

import io.semroute.config.SemanticCacheSettings.RedisSettings;
import io.semroute.extproc.redis.RedisClients;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The Redis backend, shared by every router replica (Jedis, a pooled client). Keys, all under
 * {@code key_prefix + tenant + ":"} so a tenant's entries share one prefix and no command names
 * another tenant's keys:
 *
 * <ul>
 *   <li>{@code a:<exact>} — the answer (JSON), {@code SET EX ttl};
 *   <li>{@code v:<exact>} — its embedding (384 little-endian float32, 1.5 KiB) and the last user
 *       message it embeds (for {@link NearMissGuard}), same TTL;
 *   <li>{@code c:<context>} — a sorted set of the exact keys stored for one context (everything but
 *       the last user message), scored by expiry time; trimmed to the newest {@link #MAX_SCAN} and
 *       given the TTL on every store.
 * </ul>
 *
 * A semantic look-up scans the tenant's entries of that context: {@code ZREMRANGEBYSCORE} (drop
 * expired), {@code ZRANGE} (newest {@link #MAX_SCAN}), one {@code MGET} of their vectors, cosine in
 * the router, then {@code GET} of the best answer — three round trips and up to {@code MAX_SCAN ×
 * 1.5 KiB} read. Debian's Redis 7.0 has no vector search (RediSearch), so the scan is what works on
 * every server; the context key keeps it small because only requests identical but for their last
 * message share it. LRU across tenants is Redis's own {@code maxmemory-policy} (e.g. {@code
 * volatile-lru}); {@code max_entries} applies to the memory backend only.
 *
 * <p>Redis down never stops routing: every failure is a miss or a skipped store, logged once when
 * Redis goes away and once when it is back, and for {@link #RETRY_AFTER_MILLIS} after a failure the
 * store does not even try (so a dead server costs no time per request).
 */
public final class RedisCacheStore implements CacheStore {
  private static final Logger log = LoggerFactory.getLogger(RedisCacheStore.class);

  /** Most entries one semantic look-up reads for one tenant and context. */
  static final int MAX_SCAN = 256;

  static final long RETRY_AFTER_MILLIS = 5_000;
  static final int TIMEOUT_MILLIS = 250;
  static final int POOL_SIZE = 32;

  private final JedisPooled redis;
  private final String prefix;
  private final String address;
  private final LongSupplier millis;
  private final AtomicBoolean down = new AtomicBoolean();
  private volatile long retryAt;

  public RedisCacheStore(RedisSettings settings) {
    this(settings, System::currentTimeMillis);
  }

  RedisCacheStore(RedisSettings settings, LongSupplier millis) {
    // A busy pool is a miss, not a stall.
    this.redis = RedisClients.pooled(settings, "semantic-router", TIMEOUT_MILLIS, POOL_SIZE);
    this.prefix = settings.keyPrefix();
    this.address = settings.address();
    this.millis = millis;
  }

  private byte[] key(String tenant, String kind, String key) {
    return (prefix + tenant + ":" + kind + ":" + key).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public CachedAnswer exact(String tenant, String exactKey) {
    if (!available()) {
      return null;
    }
    try {
      byte[] bytes = redis.get(key(tenant, "a", exactKey));
      up();
      return bytes == null ? null : CachedAnswer.fromJson(bytes);
    } catch (JedisException e) {
      failed(e);
      return null;
    }
  }

  @Override
  public Nearest nearest(
      String tenant,
      String contextKey,
      float[] vector,
      double minSimilarity,
      Predicate<String> accept) {
    if (!available()) {
      return null;
    }
    try {
      byte[] ctx = key(tenant, "c", contextKey);
      redis.zremrangeByScore(ctx, Double.NEGATIVE_INFINITY, millis.getAsLong());
      List<byte[]> members = redis.zrevrange(ctx, 0, MAX_SCAN - 1);
      if (members.isEmpty()) {
        up();
        return null;
      }
      byte[][] vectorKeys = new byte[members.size()][];
      for (int i = 0; i < members.size(); i++) {
        vectorKeys[i] = key(tenant, "v", new String(members.get(i), StandardCharsets.UTF_8));
      }
      List<byte[]> vectors = redis.mget(vectorKeys);
      int best = -1;
      double bestSim = -2;
      String bestText = null;
      for (int i = 0; i < vectors.size(); i++) {
        byte[] v = vectors.get(i);
        if (v == null) {
          continue;
        }
        Decoded d = decode(v);
        double sim = CacheStore.dot(vector, d.vector());
        if (sim >= minSimilarity && sim > bestSim && accept.test(d.text())) {
          bestSim = sim;
          best = i;
          bestText = d.text();
        }
      }
      if (best < 0) {
        up();
        return null;
      }
      byte[] answer =
          redis.get(key(tenant, "a", new String(members.get(best), StandardCharsets.UTF_8)));
      up();
      CachedAnswer a = answer == null ? null : CachedAnswer.fromJson(answer);
      return a == null ? null : new Nearest(bestSim, a, bestText);
    } catch (JedisException e) {
      failed(e);
      return null;
    }
  }

  @Override
  public void put(String tenant, Entry e, long ttlSeconds) {
    if (!available()) {
      return;
    }
    try (AbstractPipeline p = redis.pipelined()) {
      SetParams ex = SetParams.setParams().ex(ttlSeconds);
      p.set(key(tenant, "a", e.exactKey()), e.answer().toJson(), ex);
      if (e.contextKey() != null && e.vector() != null) {
        byte[] ctx = key(tenant, "c", e.contextKey());
        p.set(key(tenant, "v", e.exactKey()), encode(e.vector(), e.text()), ex);
        p.zadd(
            ctx,
            millis.getAsLong() + ttlSeconds * 1000,
            e.exactKey().getBytes(StandardCharsets.UTF_8));
        p.zremrangeByRank(ctx, 0, -(MAX_SCAN + 1));
        p.expire(ctx, ttlSeconds);
      }
      p.sync();
      up();
    } catch (JedisException ex) {
      failed(ex);
    }
  }

  record Decoded(float[] vector, String text) {}

  /** {@code int32 dimension, float32 × dimension, UTF-8 text}, little-endian. */
  static byte[] encode(float[] v, String text) {
    byte[] t = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(4 + v.length * 4 + t.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(v.length);
    for (float f : v) {
      b.putFloat(f);
    }
    b.put(t);
    return b.array();
  }

  static Decoded decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int n = bytes.length < 4 ? 0 : b.getInt();
    if (n < 0 || 4 + 4L * n > bytes.length) {
      return new Decoded(new float[0], "");
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = b.getFloat();
    }
    return new Decoded(
        v, new String(bytes, 4 + 4 * n, bytes.length - 4 - 4 * n, StandardCharsets.UTF_8));
  }

  private boolean available() {
    return !down.get() || millis.getAsLong() >= retryAt;
  }

  private void up() {
    if (down.compareAndSet(true, false)) {
      log.info("semantic cache: Redis at {} is reachable again; caching resumed", address);
    }
  }

  private void failed(JedisException e) {
    retryAt = millis.getAsLong() + RETRY_AFTER_MILLIS;
    if (down.compareAndSet(false, true)) {
      log.warn(
          "semantic cache: Redis at {} failed ({}); routing goes on without the cache,"
              + " retrying every {} s",
          address,
          e.getMessage(),
          RETRY_AFTER_MILLIS / 1000);
    }
  }

  /** Whether the last call failed (for tests and diagnostics). */
  public boolean isDown() {
    return down.get();
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

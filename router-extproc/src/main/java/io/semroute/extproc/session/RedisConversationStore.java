package io.semroute.extproc.session;

import io.semroute.config.SemanticCacheSettings.RedisSettings;
import io.semroute.extproc.redis.RedisClients;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Conversations in Redis, shared by every replica: {@code SET key value EX ttl} under {@code
 * key_prefix + "conv:"}. Redis down never stops routing: a failed read is "not remembered" (the
 * request is routed afresh), logged once when Redis goes away and once when it is back.
 */
public final class RedisConversationStore implements ConversationStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisConversationStore.class);
  private static final int TIMEOUT_MILLIS = 250;
  private static final int POOL_SIZE = 32;

  private final JedisPooled redis;
  private final String prefix;
  private final AtomicBoolean down = new AtomicBoolean();

  public RedisConversationStore(RedisSettings settings) {
    // A busy pool is a failure like a dead Redis: the request is routed afresh.
    this.redis =
        RedisClients.pooled(settings, "semantic-router-sessions", TIMEOUT_MILLIS, POOL_SIZE);
    this.prefix = settings.keyPrefix() + "conv:";
  }

  @Override
  public void put(String key, String value, Duration ttl) {
    try {
      redis.set(prefix + key, value, SetParams.setParams().ex(Math.max(1, ttl.toSeconds())));
      up();
    } catch (JedisException e) {
      failed(e);
    }
  }

  @Override
  public String get(String key) {
    try {
      String value = redis.get(prefix + key);
      up();
      return value;
    } catch (JedisException e) {
      failed(e);
      return null;
    }
  }

  private void up() {
    if (down.compareAndSet(true, false)) {
      log.info("conversation store: Redis reachable again");
    }
  }

  private void failed(JedisException e) {
    if (down.compareAndSet(false, true)) {
      log.warn("conversation store: Redis unreachable, routing without memory: {}", e.toString());
    }
  }

  @Override
  public void close() {
    redis.close();
  }
}

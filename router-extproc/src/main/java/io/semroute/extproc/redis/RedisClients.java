package io.semroute.extproc.redis;

import io.semroute.config.SemanticCacheSettings.RedisSettings;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * The one way the router opens Redis (semantic cache, rate limits, conversations): address and
 * password from a {@code redis:} block, short timeouts, and a bounded pool that never queues a
 * caller for longer than the timeout, so a busy or dead Redis is a quick failure the caller's
 * policy handles (a cache miss, fail-open or closed, routing afresh), never a stalled request.
 */
public final class RedisClients {

  private RedisClients() {}

  /**
   * @param clientName shown by {@code CLIENT LIST}, so an operator sees which part connected
   * @param timeoutMillis connect, read and pool-wait timeout
   * @param poolSize most connections open at once
   */
  public static JedisPooled pooled(
      RedisSettings settings, String clientName, int timeoutMillis, int poolSize) {
    DefaultJedisClientConfig.Builder cfg =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(timeoutMillis)
            .socketTimeoutMillis(timeoutMillis)
            .clientName(clientName);
    if (settings.passwordEnv() != null) {
      cfg.password(System.getenv(settings.passwordEnv()));
    }
    String host = settings.host();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // an IPv6 literal as written in the address
    }
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(poolSize);
    pool.setMaxIdle(poolSize);
    pool.setMaxWait(Duration.ofMillis(timeoutMillis));
    return new JedisPooled(new HostAndPort(host, settings.port()), cfg.build(), pool);
  }
}

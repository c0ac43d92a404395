package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.SemanticCacheSettings;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.cache.CacheStores;
import io.semroute.testkit.RedisServer;
import java.net.ServerSocket;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The semantic cache end to end with the Redis backend, on a real redis-server the test starts
 * (skipped, saying why, without the binary), plus what only Redis has: two routers sharing it, keys
 * that never carry the raw tenant, and a Redis that is down.
 */
class RedisSemanticCacheEndToEndTest extends SemanticCacheEndToEndContract {
  private static RedisServer redis;
  private static int run;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.startIfInstalled();
  }

  @BeforeEach
  void requireRedis() {
    RedisServer.assumeRunning(redis);
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  SemanticCacheSettings cache(long ttlSeconds, int maxEntries) {
    // One prefix per test: the tests share the server but never each other's entries.
    return new SemanticCacheSettings(
        true,
        SemanticCacheSettings.Backend.REDIS,
        new SemanticCacheSettings.RedisSettings(
            "127.0.0.1", redis.port(), "e2e" + (++run) + ":", null),
        TENANT,
        false,
        SemanticCacheSettings.DEFAULT_SIMILARITY_THRESHOLD,
        ttlSeconds,
        maxEntries,
        false);
  }

  @Test
  void aSecondRouterReplicaServesWhatTheFirstStored() throws Exception {
    SemanticCacheSettings s = cache(3600, 100);
    start(TestConfigs.withCache(TestConfigs.sample(), s));
    RouterStack first = stack;
    CacheStores firstStores = stores;
    String q = question("How do I reset my password?", false);
    assertForwarded(ask(q, "alice"));
    stack = null;
    try (RouterStack second = start(TestConfigs.withCache(TestConfigs.sample(), s))) {
      assertHit(ask(question("How can I reset my password?", false), "alice"));
      assertThat(second.qwen.served() + second.llama.served()).isZero();
    } finally {
      stack = null;
      first.close();
      firstStores.close();
    }
  }

  @Test
  void keysCarryTheHashedTenantNeverItsValue() throws Exception {
    SemanticCacheSettings s = cache(3600, 100);
    start(TestConfigs.withCache(TestConfigs.sample(), s));
    assertForwarded(ask(question("What is the capital of Peru?", false), "alice@example.com"));
    try (JedisPooled client = new JedisPooled("127.0.0.1", redis.port())) {
      Set<String> keys = client.keys(s.redis().keyPrefix() + "*");
      assertThat(keys).hasSize(3).allSatisfy(k -> assertThat(k).doesNotContain("alice"));
      assertThat(keys.stream().map(k -> k.split(":")[1]).distinct()).hasSize(1);
    }
  }

  @Test
  void whenRedisIsDownTheRouterKeepsRoutingWithoutTheCache() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    SemanticCacheSettings s = cache(3600, 100);
    start(
        TestConfigs.withCache(
            TestConfigs.sample(),
            new SemanticCacheSettings(
                true,
                s.backend(),
                new SemanticCacheSettings.RedisSettings("127.0.0.1", closed, "down:", null),
                TENANT,
                false,
                s.similarityThreshold(),
                3600,
                100,
                false)));
    String q = question("What is the capital of Chile?", false);
    assertForwarded(ask(q, "alice"));
    assertForwarded(ask(q, "alice"));
    assertThat(ask(q, "alice").status()).isEqualTo(200);
    assertThat(served()).isEqualTo(3);
  }
}

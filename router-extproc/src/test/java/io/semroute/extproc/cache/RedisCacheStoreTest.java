package io.semroute.extproc.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.SemanticCacheSettings.RedisSettings;
import io.semroute.testkit.RedisServer;
import java.net.ServerSocket;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** The Redis backend against a real redis-server the test starts (skipped without the binary). */
class RedisCacheStoreTest extends CacheStoreContract {
  private static RedisServer server;
  private static int run;
  private RedisCacheStore store;
  private String prefix;

  @BeforeAll
  static void startRedis() throws Exception {
    server = RedisServer.startIfInstalled();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void open() {
    RedisServer.assumeRunning(server);
    prefix = "t" + (++run) + ":";
    store = new RedisCacheStore(new RedisSettings("127.0.0.1", server.port(), prefix, null));
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Override
  CacheStore store() {
    return store;
  }

  @Override
  void elapse(long seconds) throws InterruptedException {
    Thread.sleep(seconds * 1000 + 200); // Redis expires keys on its own clock
  }

  @Test
  void everyKeyLivesUnderThePrefixAndTheTenant() {
    store.put("alice", new CacheStore.Entry("k1", "c", unit(1, 0), "q1", PARIS), 60);
    store.put("bob", new CacheStore.Entry("k2", "c", unit(1, 0), "q2", BERLIN), 60);
    try (JedisPooled redis = new JedisPooled("127.0.0.1", server.port())) {
      Set<String> keys = redis.keys(prefix + "*");
      assertThat(keys)
          .containsExactlyInAnyOrder(
              prefix + "alice:a:k1",
              prefix + "alice:v:k1",
              prefix + "alice:c:c",
              prefix + "bob:a:k2",
              prefix + "bob:v:k2",
              prefix + "bob:c:c");
      assertThat(redis.ttl(prefix + "alice:a:k1")).isBetween(1L, 60L);
      assertThat(redis.ttl(prefix + "alice:c:c")).isBetween(1L, 60L);
    }
  }

  @Test
  void vectorsRoundTripWithTheirText() {
    RedisCacheStore.Decoded d = RedisCacheStore.decode(RedisCacheStore.encode(unit(3, 4), "héllo"));
    assertThat(d.vector()).containsExactly(0.6f, 0.8f);
    assertThat(d.text()).isEqualTo("héllo");
  }

  @Test
  void anUnreachableServerIsAMissNeverAnError() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (RedisCacheStore dead =
        new RedisCacheStore(new RedisSettings("127.0.0.1", closed, "x:", null))) {
      dead.put("alice", new CacheStore.Entry("k1", "c", unit(1, 0), "q", PARIS), 60);
      assertThat(dead.isDown()).isTrue();
      assertThat(dead.exact("alice", "k1")).isNull();
      assertThat(dead.nearest("alice", "c", unit(1, 0), 0.5, t -> true)).isNull();
    }
  }
}

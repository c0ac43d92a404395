package io.semroute.extproc.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryCacheStoreTest extends CacheStoreContract {
  private final AtomicLong nanos = new AtomicLong(1_000);
  private MemoryCacheStore store;

  @BeforeEach
  void open() {
    store = new MemoryCacheStore(3, nanos::get);
  }

  @Override
  CacheStore store() {
    return store;
  }

  @Override
  void elapse(long seconds) {
    nanos.addAndGet(seconds * 1_000_000_000L);
  }

  @Test
  void theLeastRecentlyUsedEntryGoesFirstAcrossTenants() {
    store.put("alice", new CacheStore.Entry("k1", "c", unit(1, 0), "q1", PARIS), 60);
    store.put("bob", new CacheStore.Entry("k2", null, null, null, PARIS), 60);
    store.put("alice", new CacheStore.Entry("k3", null, null, null, PARIS), 60);
    assertThat(store.exact("alice", "k1")).isNotNull(); // k1 used: k2 is now the eldest
    store.put("alice", new CacheStore.Entry("k4", null, null, null, BERLIN), 60);
    assertThat(store.size()).isEqualTo(3);
    assertThat(store.exact("bob", "k2")).isNull();
    assertThat(store.exact("alice", "k1")).isNotNull();
    assertThat(store.exact("alice", "k3")).isNotNull();
    assertThat(store.exact("alice", "k4")).isNotNull();
  }

  @Test
  void evictionAlsoLeavesTheSemanticIndex() {
    MemoryCacheStore one = new MemoryCacheStore(1, nanos::get);
    one.put("alice", new CacheStore.Entry("k1", "c", unit(1, 0), "q1", PARIS), 60);
    one.put("alice", new CacheStore.Entry("k2", null, null, null, BERLIN), 60);
    assertThat(one.nearest("alice", "c", unit(1, 0), 0.5, t -> true)).isNull();
  }
}

package io.semroute.extproc.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What every backend must do; {@link MemoryCacheStoreTest} and {@link RedisCacheStoreTest} run it.
 */
abstract class CacheStoreContract {
  static final CachedAnswer PARIS = new CachedAnswer(true, "m", "Paris.", "stop", 2);
  static final CachedAnswer BERLIN = new CachedAnswer(true, "m", "Berlin.", "stop", 2);

  abstract CacheStore store();

  /** Lets {@code seconds} pass for the store's TTL. */
  abstract void elapse(long seconds) throws Exception;

  static float[] unit(float... v) {
    double n = 0;
    for (float f : v) {
      n += f * f;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(n));
    }
    return out;
  }

  @Test
  void exactEntriesAreFoundInTheirTenantOnly() {
    store().put("alice", new CacheStore.Entry("k1", null, null, null, PARIS), 60);
    assertThat(store().exact("alice", "k1")).isEqualTo(PARIS);
    assertThat(store().exact("bob", "k1")).isNull();
    assertThat(store().exact("alice", "k2")).isNull();
  }

  @Test
  void nearestTakesTheClosestAcceptedEntryAboveTheThresholdOfTheSameTenantAndContext() {
    store()
        .put(
            "alice",
            new CacheStore.Entry("k1", "c", unit(1, 0, 0), "capital of France", PARIS),
            60);
    store()
        .put(
            "alice",
            new CacheStore.Entry("k2", "c", unit(0, 1, 0), "capital of Germany", BERLIN),
            60);
    CacheStore.Nearest near = store().nearest("alice", "c", unit(1, 0.1f, 0), 0.9, t -> true);
    assertThat(near.answer()).isEqualTo(PARIS);
    assertThat(near.similarity()).isGreaterThan(0.99);
    assertThat(store().nearest("alice", "c", unit(1, 1, 0), 0.9, t -> true))
        .as("below threshold")
        .isNull();
    assertThat(store().nearest("alice", "c", unit(1, 0.1f, 0), 0.9, t -> !t.contains("France")))
        .as("text refused")
        .isNull();
    assertThat(store().nearest("alice", "other", unit(1, 0, 0), 0.5, t -> true))
        .as("other context")
        .isNull();
    assertThat(store().nearest("bob", "c", unit(1, 0, 0), 0.5, t -> true))
        .as("other tenant")
        .isNull();
  }

  @Test
  void entriesExpireAfterTheirTtl() throws Exception {
    store().put("alice", new CacheStore.Entry("k1", "c", unit(1, 0), "q", PARIS), 1);
    assertThat(store().exact("alice", "k1")).isEqualTo(PARIS);
    elapse(2);
    assertThat(store().exact("alice", "k1")).isNull();
    assertThat(store().nearest("alice", "c", unit(1, 0), 0.5, t -> true)).isNull();
  }

  @Test
  void aNewerAnswerReplacesTheOldOne() {
    store().put("alice", new CacheStore.Entry("k1", null, null, null, PARIS), 60);
    store().put("alice", new CacheStore.Entry("k1", null, null, null, BERLIN), 60);
    assertThat(store().exact("alice", "k1")).isEqualTo(BERLIN);
  }
}

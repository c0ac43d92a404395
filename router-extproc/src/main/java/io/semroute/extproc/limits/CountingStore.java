package io.semroute.extproc.limits;

import java.util.List;

/**
 * A {@link CounterStore} that reports every call its store could not answer (for the store-failure
 * metric), whichever limiter made the call.
 */
final class CountingStore implements CounterStore {
  private final CounterStore store;
  private final Runnable onFailure;

  CountingStore(CounterStore store, Runnable onFailure) {
    this.store = store;
    this.onFailure = onFailure;
  }

  @Override
  public Outcome tryAdd(List<Counter> counters) {
    try {
      return store.tryAdd(counters);
    } catch (StoreUnavailableException e) {
      onFailure.run();
      throw e;
    }
  }

  @Override
  public void adjust(List<String> keys, long delta) {
    try {
      store.adjust(keys, delta);
    } catch (StoreUnavailableException e) {
      onFailure.run();
      throw e;
    }
  }

  @Override
  public long[] values(List<String> keys) {
    try {
      return store.values(keys);
    } catch (StoreUnavailableException e) {
      onFailure.run();
      throw e;
    }
  }

  @Override
  public String describe() {
    return store.describe();
  }

  @Override
  public void close() {
    store.close();
  }
}

package io.semroute.extproc.limits;

import java.util.List;

/**
 * Where window counters live: the heap of one replica ({@link MemoryCounterStore}) or one Redis
 * shared by all ({@link RedisCounterStore}). Every method is atomic over the counters it is given.
 */
public interface CounterStore extends AutoCloseable {
  /**
   * When every counter's value plus its cost stays within its limit, adds the costs; otherwise
   * changes nothing.
   *
   * @return whether the costs were added, and each counter's value afterwards (before, when not)
   * @throws StoreUnavailableException when the store cannot answer
   */
  Outcome tryAdd(List<Counter> counters);

  /**
   * Adds {@code delta} (may be negative; a counter never goes below 0) to the counters that still
   * exist: a counter whose window has ended is left gone.
   */
  void adjust(List<String> keys, long delta);

  /** The current values (0 for a counter that does not exist). */
  long[] values(List<String> keys);

  /** For logs: what and where. */
  String describe();

  @Override
  void close();

  /**
   * @param added the costs were added
   * @param values each counter's value afterwards, in the order given
   */
  record Outcome(boolean added, long[] values) {}
}

package io.semroute.extproc.limits;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counters in the heap of one replica. Bounded by the tenants active within the longest window: a
 * counter is dropped once its window has ended (looked up expired counts as absent, and a sweep
 * every {@link #SWEEP_EVERY_MILLIS} removes the ones nobody touches again), so 100,000 tenants that
 * send one request each and go idle leave nothing behind a minute (per-day budgets: a day) later.
 *
 * <p>One lock for the whole store: an admission is a handful of map operations, far cheaper than
 * anything else a request costs, and one lock makes multi-counter admissions atomic simply.
 */
public final class MemoryCounterStore implements CounterStore {
  static final long SWEEP_EVERY_MILLIS = 5_000;

  private static final class Cell {
    long value;
    long expiresAt;
  }

  private final Map<String, Cell> cells = new HashMap<>();
  private final LongSupplier millis;
  private long nextSweep;

  public MemoryCounterStore(LongSupplier millis) {
    this.millis = millis;
  }

  @Override
  public synchronized Outcome tryAdd(List<Counter> counters) {
    long now = now();
    long[] values = new long[counters.size()];
    boolean fits = true;
    for (int i = 0; i < values.length; i++) {
      Counter c = counters.get(i);
      Cell cell = live(c.key(), now);
      values[i] = cell == null ? 0 : cell.value;
      fits &= values[i] + c.cost() <= c.limit();
    }
    if (!fits) {
      return new Outcome(false, values);
    }
    for (int i = 0; i < values.length; i++) {
      Counter c = counters.get(i);
      Cell cell = cells.computeIfAbsent(c.key(), k -> new Cell());
      if (cell.expiresAt <= now) {
        cell.value = 0;
      }
      cell.value += c.cost();
      cell.expiresAt = now + c.ttlMillis();
      values[i] = cell.value;
    }
    return new Outcome(true, values);
  }

  @Override
  public synchronized void adjust(List<String> keys, long delta) {
    long now = now();
    for (String k : keys) {
      Cell cell = live(k, now);
      if (cell != null) {
        cell.value = Math.max(0, cell.value + delta);
      }
    }
  }

  @Override
  public synchronized long[] values(List<String> keys) {
    long now = now();
    long[] out = new long[keys.size()];
    for (int i = 0; i < out.length; i++) {
      Cell cell = live(keys.get(i), now);
      out[i] = cell == null ? 0 : cell.value;
    }
    return out;
  }

  /** Counters held now, expired ones not yet swept included (tests, diagnostics). */
  public synchronized int size() {
    return cells.size();
  }

  private Cell live(String key, long now) {
    Cell cell = cells.get(key);
    return cell == null || cell.expiresAt <= now ? null : cell;
  }

  /** The clock, sweeping expired counters when one is due. */
  private long now() {
    long now = millis.getAsLong();
    if (now >= nextSweep) {
      for (Iterator<Cell> it = cells.values().iterator(); it.hasNext(); ) {
        if (it.next().expiresAt <= now) {
          it.remove();
        }
      }
      nextSweep = now + SWEEP_EVERY_MILLIS;
    }
    return now;
  }

  @Override
  public String describe() {
    return "memory (per replica)";
  }

  @Override
  public void close() {}
}

package io.semroute.extproc.limits;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A clock tests move by hand, so windows and cool-downs pass without sleeping. */
final class FakeClock implements LongSupplier {
  /** 2026-01-01T00:00:00Z plus one second: the start of a minute and of a day, plus a bit. */
  static final long START = 1_767_225_600_000L + 1_000;

  private final AtomicLong now;

  FakeClock() {
    this(START);
  }

  FakeClock(long start) {
    now = new AtomicLong(start);
  }

  @Override
  public long getAsLong() {
    return now.get();
  }

  void advanceMillis(long ms) {
    now.addAndGet(ms);
  }

  void advanceSeconds(long s) {
    advanceMillis(s * 1000);
  }
}

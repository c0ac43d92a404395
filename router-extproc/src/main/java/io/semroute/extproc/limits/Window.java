package io.semroute.extproc.limits;

/**
 * A fixed calendar window a budget is counted in. Fixed windows (not sliding) because a counter per
 * window is one atomic increment in Redis and admits exactly the budget within a window; the price
 * is that a tenant may spend a budget at the end of one window and again at the start of the next.
 */
enum Window {
  MINUTE(60_000L, "m"),
  DAY(86_400_000L, "d");

  final long millis;

  /** Short tag used in counter keys. */
  final String tag;

  Window(long millis, String tag) {
    this.millis = millis;
    this.tag = tag;
  }

  /** Which window {@code nowMillis} falls into (windows start at the epoch, so UTC days). */
  long index(long nowMillis) {
    return Math.floorDiv(nowMillis, millis);
  }

  /** Milliseconds from {@code nowMillis} until the window it falls into ends (at least 1). */
  long remainingMillis(long nowMillis) {
    return Math.max(1, (index(nowMillis) + 1) * millis - nowMillis);
  }
}

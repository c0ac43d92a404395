package io.semroute.app.bench;

import io.semroute.extproc.pipeline.RequestSummary;
import io.semroute.tools.bench.LatencyStats;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The time of the {@code limit} stage per request (with {@code --rate-limits}: the admission, one
 * store round trip), read from each request's summary: the part of the added latency the request
 * path pays before routing, measured apart from the machine's noise on the whole exchange. Keeps at
 * most {@link #MAX} samples.
 */
final class LimitStageTimes {
  static final int MAX = 1_000_000;

  private long[] nanos = new long[1024];
  private int n;

  synchronized void record(RequestSummary summary) {
    Long t = summary.timings().stages().get("limit");
    if (t == null || n == MAX) {
      return;
    }
    if (n == nanos.length) {
      nanos = Arrays.copyOf(nanos, Math.min(MAX, n * 2));
    }
    nanos[n++] = t;
  }

  /** One line for the notes, or empty when the stage never ran. */
  synchronized Optional<String> describe(String router) {
    if (n == 0) {
      return Optional.empty();
    }
    LatencyStats s = LatencyStats.of(Arrays.copyOf(nanos, n));
    return Optional.of(
        String.format(
            Locale.ROOT,
            "%s: limit stage (rate-limit admission) p50 %.3f ms, p99 %.3f ms over %d requests",
            router,
            s.p50(),
            s.p99(),
            n));
  }
}

package io.semroute.tools.eval;

import java.util.Arrays;
import java.util.Locale;

/** Per-example latency figures (nanoseconds in, milliseconds out) for an eval printout. */
public final class LatencyStats {
  private long[] nanos = new long[64];
  private int n;

  public void record(long elapsedNanos) {
    if (n == nanos.length) {
      nanos = Arrays.copyOf(nanos, n * 2);
    }
    nanos[n++] = elapsedNanos;
  }

  public int count() {
    return n;
  }

  /** The q-quantile (0..1) in milliseconds, nearest-rank. */
  public double quantileMillis(double q) {
    if (n == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    int idx = (int) Math.ceil(q * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, idx))] / 1e6;
  }

  public double meanMillis() {
    long sum = 0;
    for (int i = 0; i < n; i++) {
      sum += nanos[i];
    }
    return n == 0 ? 0 : sum / 1e6 / n;
  }

  public String format() {
    return String.format(
        Locale.ROOT,
        "latency per example (ms): mean %.3f  p50 %.3f  p95 %.3f  p99 %.3f  (n=%d)",
        meanMillis(),
        quantileMillis(0.5),
        quantileMillis(0.95),
        quantileMillis(0.99),
        n);
  }
}

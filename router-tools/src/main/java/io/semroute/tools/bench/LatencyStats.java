package io.semroute.tools.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latency samples (nearest-rank), in milliseconds. The minimum is kept
 * because on a shared machine it is the figure least disturbed by other processes.
 */
public record LatencyStats(
    int samples, double min, double p50, double p90, double p99, double mean) {

  public static LatencyStats of(long[] nanos) {
    if (nanos.length == 0) {
      return new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return new LatencyStats(
        sorted.length,
        sorted[0] / 1e6,
        millis(sorted, 0.50),
        millis(sorted, 0.90),
        millis(sorted, 0.99),
        sum / sorted.length / 1e6);
  }

  /**
   * Over the samples of several callers: caller {@code c} recorded {@code counts[c]} samples at the
   * start of {@code samples[c]}.
   */
  public static LatencyStats ofCallers(long[][] samples, int[] counts) {
    int total = 0;
    for (int n : counts) {
      total += n;
    }
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < counts.length; c++) {
      System.arraycopy(samples[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    return of(all);
  }

  private static double millis(long[] sorted, double quantile) {
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }
}

package io.semroute.tools.eval;

/** Precision, recall and F1 from true-positive, false-positive and false-negative counts. */
public record PrfScore(long tp, long fp, long fn) {

  public double precision() {
    return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
  }

  public double recall() {
    return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
  }

  public double f1() {
    double p = precision();
    double r = recall();
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** Gold count (tp + fn), the "support" column of a report. */
  public long support() {
    return tp + fn;
  }

  public PrfScore plus(PrfScore o) {
    return new PrfScore(tp + o.tp, fp + o.fp, fn + o.fn);
  }
}

package io.semroute.extproc.cache;

import java.util.List;
import java.util.Random;

/**
 * A small learned pair check: standardised features, then a logistic regression or a one-layer MLP
 * (tanh), trained full-batch with Adam on a class-balanced log loss with L2.
 */
final class PairHead {
  private final double[] mean;
  private final double[] std;
  private final double[][] w1;
  private final double[] b1;
  private final double[] w2;
  private double b2;

  private PairHead(double[] mean, double[] std, double[][] w1, double[] b1, double[] w2) {
    this.mean = mean;
    this.std = std;
    this.w1 = w1;
    this.b1 = b1;
    this.w2 = w2;
  }

  static PairHead logistic(List<double[]> x, List<Boolean> y, double l2, int epochs) {
    return train(x, y, 0, l2, epochs, 0);
  }

  static PairHead mlp(
      List<double[]> x, List<Boolean> y, int hidden, double l2, int epochs, long seed) {
    return train(x, y, hidden, l2, epochs, seed);
  }

  /** The log-odds that the two texts ask the same question. */
  double score(double[] f) {
    double[] z = standardised(f);
    double[] h = hidden(z);
    double s = b2;
    for (int j = 0; j < h.length; j++) {
      s += w2[j] * h[j];
    }
    return s;
  }

  private double[] standardised(double[] f) {
    double[] z = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      z[i] = (f[i] - mean[i]) / std[i];
    }
    return z;
  }

  private double[] hidden(double[] z) {
    if (w1 == null) {
      return z;
    }
    double[] h = new double[w1.length];
    for (int j = 0; j < w1.length; j++) {
      double s = b1[j];
      for (int i = 0; i < z.length; i++) {
        s += w1[j][i] * z[i];
      }
      h[j] = Math.tanh(s);
    }
    return h;
  }

  private static PairHead train(
      List<double[]> x, List<Boolean> y, int hiddenSize, double l2, int epochs, long seed) {
    int n = x.size();
    int d = x.get(0).length;
    double[] mean = new double[d];
    double[] std = new double[d];
    for (double[] f : x) {
      for (int i = 0; i < d; i++) {
        mean[i] += f[i] / n;
      }
    }
    for (double[] f : x) {
      for (int i = 0; i < d; i++) {
        std[i] += (f[i] - mean[i]) * (f[i] - mean[i]) / n;
      }
    }
    for (int i = 0; i < d; i++) {
      std[i] = Math.sqrt(std[i]) + 1e-6;
    }
    Random rnd = new Random(seed);
    double[][] w1 = null;
    double[] b1 = null;
    int h = d;
    if (hiddenSize > 0) {
      h = hiddenSize;
      w1 = new double[h][d];
      b1 = new double[h];
      for (double[] row : w1) {
        for (int i = 0; i < d; i++) {
          row[i] = rnd.nextGaussian() / Math.sqrt(d);
        }
      }
    }
    PairHead m = new PairHead(mean, std, w1, b1, new double[h]);
    double[][] z = new double[n][];
    for (int k = 0; k < n; k++) {
      z[k] = m.standardised(x.get(k));
    }
    long pos = y.stream().filter(b -> b).count();
    double wPos = n / (2.0 * Math.max(1, pos));
    double wNeg = n / (2.0 * Math.max(1, n - pos));
    Adam a2 = new Adam(h + 1);
    Adam a1 = hiddenSize > 0 ? new Adam(h * (d + 1)) : null;
    for (int e = 0; e < epochs; e++) {
      double[] g2 = new double[h + 1];
      double[] g1 = hiddenSize > 0 ? new double[h * (d + 1)] : null;
      for (int k = 0; k < n; k++) {
        double[] hk = m.hidden(z[k]);
        double s = m.b2;
        for (int j = 0; j < h; j++) {
          s += m.w2[j] * hk[j];
        }
        double p = 1 / (1 + Math.exp(-s));
        double err = (p - (y.get(k) ? 1 : 0)) * (y.get(k) ? wPos : wNeg) / n;
        for (int j = 0; j < h; j++) {
          g2[j] += err * hk[j];
        }
        g2[h] += err;
        if (g1 != null) {
          for (int j = 0; j < h; j++) {
            double gj = err * m.w2[j] * (1 - hk[j] * hk[j]);
            int off = j * (d + 1);
            for (int i = 0; i < d; i++) {
              g1[off + i] += gj * z[k][i];
            }
            g1[off + d] += gj;
          }
        }
      }
      for (int j = 0; j < h; j++) {
        g2[j] += l2 * m.w2[j];
      }
      double[] p2 = new double[h + 1];
      System.arraycopy(m.w2, 0, p2, 0, h);
      p2[h] = m.b2;
      a2.step(p2, g2, 0.01);
      System.arraycopy(p2, 0, m.w2, 0, h);
      m.b2 = p2[h];
      if (g1 != null) {
        double[] p1 = new double[h * (d + 1)];
        for (int j = 0; j < h; j++) {
          System.arraycopy(m.w1[j], 0, p1, j * (d + 1), d);
          p1[j * (d + 1) + d] = m.b1[j];
          for (int i = 0; i < d; i++) {
            g1[j * (d + 1) + i] += l2 * m.w1[j][i];
          }
        }
        a1.step(p1, g1, 0.003);
        for (int j = 0; j < h; j++) {
          System.arraycopy(p1, j * (d + 1), m.w1[j], 0, d);
          m.b1[j] = p1[j * (d + 1) + d];
        }
      }
    }
    return m;
  }

  /** Adam's moment estimates for one parameter vector. */
  private static final class Adam {
    private final double[] m;
    private final double[] v;
    private int t;

    Adam(int size) {
      m = new double[size];
      v = new double[size];
    }

    void step(double[] p, double[] g, double lr) {
      t++;
      double c1 = 1 - Math.pow(0.9, t);
      double c2 = 1 - Math.pow(0.999, t);
      for (int i = 0; i < p.length; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
        p[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
      }
    }
  }
}

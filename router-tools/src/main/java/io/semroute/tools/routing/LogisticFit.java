package io.semroute.tools.routing;

import java.util.Arrays;

/**
 * Per-model logistic regression on standardised features, fitted full-batch with Adam and an L2
 * penalty (not on the bias). Small and deterministic: the outcome data sets have thousands of rows
 * and a few hundred features, so this takes seconds in plain Java.
 */
public final class LogisticFit {
  /** Fitted weights [models][features] and biases [models]. */
  public record Weights(float[][] weight, float[] bias) {}

  private LogisticFit() {}

  /** Feature mean and scale (standard deviation, at least 1e-6) over the rows. */
  public static float[][] standardisation(float[][] x) {
    int f = x[0].length;
    double[] mean = new double[f];
    double[] sq = new double[f];
    for (float[] r : x) {
      for (int k = 0; k < f; k++) {
        mean[k] += r[k];
      }
    }
    for (int k = 0; k < f; k++) {
      mean[k] /= x.length;
    }
    for (float[] r : x) {
      for (int k = 0; k < f; k++) {
        double d = r[k] - mean[k];
        sq[k] += d * d;
      }
    }
    float[] m = new float[f];
    float[] s = new float[f];
    for (int k = 0; k < f; k++) {
      m[k] = (float) mean[k];
      s[k] = (float) Math.max(1e-6, Math.sqrt(sq[k] / x.length));
    }
    return new float[][] {m, s};
  }

  public static float[][] standardise(float[][] x, float[] mean, float[] scale) {
    float[][] z = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      z[i] = new float[x[i].length];
      for (int k = 0; k < z[i].length; k++) {
        z[i][k] = (x[i][k] - mean[k]) / scale[k];
      }
    }
    return z;
  }

  /**
   * @param z standardised features [rows][features]
   * @param y targets in [0, 1], [rows][models]
   * @param l2 penalty per row: loss = mean log-loss + l2 * |w|^2 / 2
   */
  public static Weights fit(float[][] z, double[][] y, double l2, int iterations, double lr) {
    int n = z.length;
    int f = z[0].length;
    int models = y[0].length;
    float[][] w = new float[models][f];
    float[] b = new float[models];
    for (int m = 0; m < models; m++) {
      double mean = 0;
      for (double[] r : y) {
        mean += r[m];
      }
      mean = Math.min(1 - 1e-3, Math.max(1e-3, mean / n));
      b[m] = (float) Math.log(mean / (1 - mean));
      double[] mw = new double[f + 1];
      double[] vw = new double[f + 1];
      double[] g = new double[f + 1];
      for (int t = 1; t <= iterations; t++) {
        Arrays.fill(g, 0);
        for (int i = 0; i < n; i++) {
          float[] zi = z[i];
          double s = b[m];
          float[] wm = w[m];
          for (int k = 0; k < f; k++) {
            s += wm[k] * zi[k];
          }
          double err = 1 / (1 + Math.exp(-s)) - y[i][m];
          for (int k = 0; k < f; k++) {
            g[k] += err * zi[k];
          }
          g[f] += err;
        }
        for (int k = 0; k <= f; k++) {
          g[k] /= n;
          if (k < f) {
            g[k] += l2 * w[m][k];
          }
          mw[k] = 0.9 * mw[k] + 0.1 * g[k];
          vw[k] = 0.999 * vw[k] + 0.001 * g[k] * g[k];
          double step =
              lr
                  * (mw[k] / (1 - Math.pow(0.9, t)))
                  / (Math.sqrt(vw[k] / (1 - Math.pow(0.999, t))) + 1e-8);
          if (k < f) {
            w[m][k] -= (float) step;
          } else {
            b[m] -= (float) step;
          }
        }
      }
    }
    return new Weights(w, b);
  }

  /** Probabilities [rows][models]. */
  public static double[][] predict(Weights wts, float[][] z) {
    double[][] p = new double[z.length][wts.bias().length];
    for (int i = 0; i < z.length; i++) {
      for (int m = 0; m < p[i].length; m++) {
        double s = wts.bias()[m];
        float[] wm = wts.weight()[m];
        for (int k = 0; k < wm.length; k++) {
          s += wm[k] * z[i][k];
        }
        p[i][m] = 1 / (1 + Math.exp(-s));
      }
    }
    return p;
  }

  /** Mean log-loss over rows and models. */
  public static double logLoss(double[][] p, double[][] y) {
    double sum = 0;
    int count = 0;
    for (int i = 0; i < p.length; i++) {
      for (int m = 0; m < p[i].length; m++) {
        double q = Math.min(1 - 1e-7, Math.max(1e-7, p[i][m]));
        sum -= y[i][m] * Math.log(q) + (1 - y[i][m]) * Math.log(1 - q);
        count++;
      }
    }
    return sum / count;
  }
}

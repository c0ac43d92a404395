package io.semroute.classifier;

/** Softmax over small logit vectors, in double for stability; done in Java to save native calls. */
final class Softmax {
  private Softmax() {}

  static float[] of(float[] logits, int offset, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double sum = 0;
    double[] e = new double[n];
    for (int i = 0; i < n; i++) {
      e[i] = Math.exp(logits[offset + i] - max);
      sum += e[i];
    }
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = (float) (e[i] / sum);
    }
    return p;
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}

package io.semroute.tools.train;

import io.semroute.classifier.head.TokenContext;

/**
 * The PII head's token features on cached states for training: the same [prev, self, next] windows
 * that {@link TokenContext#window} builds on a batch at serving time.
 */
public final class TokenFeatures {
  private TokenFeatures() {}

  /** For training on cached states: [prev, self, next] for token {@code i}. */
  public static float[] window(float[][] states, int i) {
    int h = states[i].length;
    float[] out = new float[3 * h];
    if (i > 0) {
      System.arraycopy(states[i - 1], 0, out, 0, h);
    }
    System.arraycopy(states[i], 0, out, h, h);
    if (i + 1 < states.length) {
      System.arraycopy(states[i + 1], 0, out, 2 * h, h);
    }
    return out;
  }

  /**
   * As above with per-token extra features appended to each position's state, laid out as [prev
   * state, prev extra, self state, self extra, next state, next extra]: what {@link
   * TokenContext#window} gives on states concatenated with the extras (serving does that).
   */
  public static float[] window(float[][] states, float[][] extra, int i) {
    int h = states[i].length;
    int e = extra[i].length;
    int w = h + e;
    float[] out = new float[3 * w];
    for (int k = -1; k <= 1; k++) {
      int j = i + k;
      if (j < 0 || j >= states.length) {
        continue;
      }
      System.arraycopy(states[j], 0, out, (k + 1) * w, h);
      System.arraycopy(extra[j], 0, out, (k + 1) * w + h, e);
    }
    return out;
  }
}

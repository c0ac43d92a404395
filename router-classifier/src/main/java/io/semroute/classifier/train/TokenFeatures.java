package io.semroute.classifier.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Token features for the PII head: each token's state concatenated with its left and right
 * neighbours' (zeros past the edges). The frozen encoder was trained for sentence similarity, so
 * one token's state says little about where an entity starts or ends; its neighbours do.
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
   * As above with per-token extra features appended to each position's state, laid out as
   * [prev state, prev extra, self state, self extra, next state, next extra]: what
   * {@link #window(NDArray)} gives on states concatenated with the extras (serving does that).
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

  /** The same on a padded batch [B,S,H] to [B,S,3H], for serving. */
  public static NDArray window(NDArray hidden) {
    Shape s = hidden.getShape();
    long b = s.get(0);
    long seq = s.get(1);
    long h = s.get(2);
    NDArray zero = hidden.getManager().zeros(new Shape(b, 1, h), hidden.getDataType());
    NDArray prev = seq > 1 ? NDArrays.concat(new NDList(zero, hidden.get(new NDIndex(":, 0:{}, :", seq - 1))), 1) : zero;
    NDArray next = seq > 1 ? NDArrays.concat(new NDList(hidden.get(new NDIndex(":, 1:{}, :", seq)), zero), 1) : zero;
    return NDArrays.concat(new NDList(prev, hidden, next), 2);
  }
}

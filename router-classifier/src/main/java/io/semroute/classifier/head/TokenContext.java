package io.semroute.classifier.head;

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
public final class TokenContext {
  private TokenContext() {}

  /** [prev, self, next] on a padded batch: [B,S,H] to [B,S,3H]. */
  public static NDArray window(NDArray hidden) {
    Shape s = hidden.getShape();
    long b = s.get(0);
    long seq = s.get(1);
    long h = s.get(2);
    NDArray zero = hidden.getManager().zeros(new Shape(b, 1, h), hidden.getDataType());
    NDArray prev =
        seq > 1
            ? NDArrays.concat(new NDList(zero, hidden.get(new NDIndex(":, 0:{}, :", seq - 1))), 1)
            : zero;
    NDArray next =
        seq > 1
            ? NDArrays.concat(new NDList(hidden.get(new NDIndex(":, 1:{}, :", seq)), zero), 1)
            : zero;
    return NDArrays.concat(new NDList(prev, hidden, next), 2);
  }
}

package io.semroute.classifier.head;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.encoder.Ops;

/** One label per token: a transform, then a linear classifier on every position. */
public final class TokenHead {
  private final Transform transform;
  private final NDArray weight;
  private final NDArray bias;

  public TokenHead(Transform transform, NDArray weight, NDArray bias) {
    this.transform = transform;
    this.weight = weight;
    this.bias = bias;
  }

  /** hidden [B,S,H] to logits [B,S,numLabels]. */
  public NDArray logits(NDArray hidden) {
    return Ops.linear(transform.apply(hidden), weight, bias);
  }

  public int numLabels() {
    return (int) weight.getShape().get(0);
  }
}

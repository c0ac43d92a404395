package io.semroute.classifier.head;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.encoder.Ops;

/**
 * One label per sequence: pooling, then a transform, then a linear classifier. Works on the hidden
 * states of a shared encoder pass, so several sequence heads can read the same batch.
 */
public final class SequenceHead {
  private final Pooling pooling;
  private final Transform transform;
  private final NDArray weight;
  private final NDArray bias;

  /**
   * @param weight [numLabels, hidden] (torch Linear layout)
   * @param bias [numLabels] or null
   */
  public SequenceHead(Pooling pooling, Transform transform, NDArray weight, NDArray bias) {
    this.pooling = pooling;
    this.transform = transform;
    this.weight = weight;
    this.bias = bias;
  }

  /** hidden [B,S,H], mask [B,S] to logits [B,numLabels]. */
  public NDArray logits(NDArray hidden, NDArray mask) {
    return Ops.linear(transform.apply(pooling.pool(hidden, mask)), weight, bias);
  }

  public int numLabels() {
    return (int) weight.getShape().get(0);
  }

  public Pooling pooling() {
    return pooling;
  }
}

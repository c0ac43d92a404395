package io.semroute.classifier.head;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.encoder.Ops;

/**
 * One label per token: a transform, then a linear classifier on every position. A head trained with
 * {@link TokenShapeFeatures} gets them appended to each token's hidden state before the transform.
 */
public final class TokenHead {
  private final Transform transform;
  private final NDArray weight;
  private final NDArray bias;
  private final boolean shapeFeatures;

  public TokenHead(Transform transform, NDArray weight, NDArray bias) {
    this(transform, weight, bias, false);
  }

  public TokenHead(Transform transform, NDArray weight, NDArray bias, boolean shapeFeatures) {
    this.transform = transform;
    this.weight = weight;
    this.bias = bias;
    this.shapeFeatures = shapeFeatures;
  }

  /** hidden [B,S,H] to logits [B,S,numLabels] (for heads without shape features). */
  public NDArray logits(NDArray hidden) {
    if (shapeFeatures) {
      throw new IllegalStateException(
          "this head needs the texts for its shape features: use logits(EncodedBatch)");
    }
    return Ops.linear(transform.apply(hidden), weight, bias);
  }

  /** The batch's hidden states (plus shape features from its texts, if trained so) to logits. */
  public NDArray logits(EncodedBatch batch) {
    NDArray hidden = batch.hidden();
    if (!shapeFeatures) {
      return logits(hidden);
    }
    NDArray shape =
        TokenShapeFeatures.of(batch.texts(), batch.sequenceLength(), hidden.getManager());
    return Ops.linear(
        transform.apply(hidden.concat(shape.toType(hidden.getDataType(), false), 2)), weight, bias);
  }

  public int numLabels() {
    return (int) weight.getShape().get(0);
  }
}

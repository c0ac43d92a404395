package io.semroute.classifier.encoder;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.weights.Parameters;

/**
 * A transformer backbone: token ids and attention mask in, one hidden state per token out. It knows
 * nothing about tasks; heads (pooling + classifier) are separate so several of them can share one
 * pass.
 *
 * <p>{@link #forward} is a plain differentiable function of {@link #parameters()}: it records
 * autograd when the caller is inside a DJL {@code GradientCollector} and some parameter requires
 * gradients, and records nothing otherwise. Results live in the manager of {@code inputIds}.
 */
public interface Encoder {

  /**
   * @param inputIds int64 [batch, seq], padded with the model's pad id
   * @param attentionMask int64 or float [batch, seq], 1 for real tokens, 0 for padding
   * @return float32 [batch, seq, hidden]
   */
  NDArray forward(NDArray inputIds, NDArray attentionMask);

  int hiddenSize();

  /** Longest sequence the position encoding supports ({@code max_position_embeddings}). */
  int maxPositions();

  /** Pad id to fill shorter sequences of a batch with. */
  long padTokenId();

  /** The tensors used by {@link #forward}, for inspection and training. */
  Parameters parameters();
}

package io.semroute.classifier.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.semroute.classifier.text.TokenizedText;
import java.util.List;

/**
 * One encoder pass over a batch: the padded inputs and the hidden states, in a manager of their
 * own. Hand it to as many heads as share this encoder, then close it to free the native memory.
 */
public final class EncodedBatch implements AutoCloseable {
  private final List<TokenizedText> texts;
  private final NDManager manager;
  private final NDArray inputIds;
  private final NDArray attentionMask;
  private final NDArray hidden;

  public EncodedBatch(
      List<TokenizedText> texts,
      NDManager manager,
      NDArray inputIds,
      NDArray attentionMask,
      NDArray hidden) {
    this.texts = List.copyOf(texts);
    this.manager = manager;
    this.inputIds = inputIds;
    this.attentionMask = attentionMask;
    this.hidden = hidden;
  }

  public List<TokenizedText> texts() {
    return texts;
  }

  public int size() {
    return texts.size();
  }

  /** The batch's manager; heads attach their outputs here. */
  public NDManager manager() {
    return manager;
  }

  /** int64 [batch, seq]. */
  public NDArray inputIds() {
    return inputIds;
  }

  /** int64 [batch, seq], 1 for real tokens. */
  public NDArray attentionMask() {
    return attentionMask;
  }

  /** float32 [batch, seq, hidden]. */
  public NDArray hidden() {
    return hidden;
  }

  /** Padded sequence length of this batch. */
  public int sequenceLength() {
    return (int) inputIds.getShape().get(1);
  }

  @Override
  public void close() {
    manager.close();
  }
}

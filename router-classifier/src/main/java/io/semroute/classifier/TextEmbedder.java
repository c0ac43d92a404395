package io.semroute.classifier;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.head.Pooling;
import java.util.Arrays;
import java.util.List;

/**
 * Sentence embeddings: mean of the encoder's hidden states over real tokens (or the [CLS] state,
 * for models published that way), L2-normalised (the sentence-transformers recipe), so a dot
 * product is the cosine similarity.
 *
 * <pre>{@code
 * try (TextEmbedder e = ClassifierRegistry.builtinEmbedder(LoadOptions.DEFAULT)) { float[][] v = e.embed(List.of("hello")); }
 * }</pre>
 */
public final class TextEmbedder implements AutoCloseable {
  private final TextEncoder encoder;
  private final boolean ownsEncoder;
  private final Pooling pooling;

  public TextEmbedder(TextEncoder encoder, boolean ownsEncoder) {
    this(encoder, ownsEncoder, Pooling.MEAN);
  }

  /**
   * @param pooling how the model's sentence vector is read off its hidden states (mean for MiniLM,
   *     [CLS] for bge)
   */
  public TextEmbedder(TextEncoder encoder, boolean ownsEncoder, Pooling pooling) {
    this.encoder = encoder;
    this.ownsEncoder = ownsEncoder;
    this.pooling = pooling;
  }

  public TextEncoder encoder() {
    return encoder;
  }

  public int dimension() {
    return encoder.encoder().hiddenSize();
  }

  public float[] embed(String text) {
    return embed(List.of(text))[0];
  }

  public float[][] embed(List<String> texts) {
    try (EncodedBatch b = encoder.encode(texts)) {
      return embed(b);
    }
  }

  /** Embeds a batch encoded by the same encoder; does not close it. */
  public float[][] embed(EncodedBatch batch) {
    float[] flat =
        Ops.noGrad(
            () -> {
              NDArray pooled = pooling.pool(batch.hidden(), batch.attentionMask());
              return pooled.normalize(2, 1, 1e-12).toFloatArray();
            });
    int d = dimension();
    float[][] out = new float[batch.size()][];
    for (int b = 0; b < out.length; b++) {
      out[b] = Arrays.copyOfRange(flat, b * d, b * d + d);
    }
    return out;
  }

  @Override
  public void close() {
    if (ownsEncoder) {
      encoder.close();
    }
  }
}

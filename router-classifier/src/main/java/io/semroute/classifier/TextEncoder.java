package io.semroute.classifier;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.encoder.Encoder;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.text.TextTokenizer;
import io.semroute.classifier.text.TokenizedText;
import java.util.List;

/**
 * Text in, hidden states out: a tokenizer (with its truncation policy) in front of an {@link
 * Encoder}, on one device. Thread-safe; each call gets its own native memory scope.
 */
public final class TextEncoder implements AutoCloseable {
  private final Encoder encoder;
  private final TextTokenizer tokenizer;
  private final Device device;
  private final boolean ownsWeights;
  private NDManager headManager;

  public TextEncoder(Encoder encoder, TextTokenizer tokenizer, Device device) {
    this(encoder, tokenizer, device, true);
  }

  /**
   * @param ownsWeights false for an encoder whose weights are shared by the process (the built-in
   *     encoder, loaded once): {@link #close} then frees only the tokenizer
   */
  public TextEncoder(Encoder encoder, TextTokenizer tokenizer, Device device, boolean ownsWeights) {
    this.encoder = encoder;
    this.tokenizer = tokenizer;
    this.device = device;
    this.ownsWeights = ownsWeights;
  }

  public Encoder encoder() {
    return encoder;
  }

  /**
   * Where a head built on this encoder keeps its weights, freed by {@link #close}: the encoder's
   * own manager when this encoder owns its weights, else a manager of its own (never the shared
   * weights' manager: a head opened and closed by each config reload would stay there forever).
   */
  public synchronized NDManager headManager() {
    if (ownsWeights) {
      return encoder.parameters().manager();
    }
    if (headManager == null) {
      headManager = NDManager.newBaseManager(device, "PyTorch");
    }
    return headManager;
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  public Device device() {
    return device;
  }

  public TokenizedText tokenize(String text) {
    return tokenizer.tokenize(text);
  }

  public List<TokenizedText> tokenize(List<String> texts) {
    return tokenizer.tokenize(texts);
  }

  /** Tokenizes and encodes; the caller closes the result. */
  public EncodedBatch encode(List<String> texts) {
    return encodeTokenized(tokenizer.tokenize(texts));
  }

  /**
   * Encodes already tokenized texts, padded to the longest one (a micro-batcher that groups by
   * length keeps this padding small). Runs without autograd. The caller closes the result.
   */
  public EncodedBatch encodeTokenized(List<TokenizedText> texts) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    NDManager m = encoder.parameters().manager().newSubManager(device);
    try {
      NDArray[] inputs = inputs(m, texts, encoder.padTokenId());
      NDArray hidden = Ops.noGrad(() -> encoder.forward(inputs[0], inputs[1]));
      return new EncodedBatch(texts, m, inputs[0], inputs[1], hidden);
    } catch (RuntimeException | Error e) {
      m.close();
      throw e;
    }
  }

  /** Padded int64 ids and mask [batch, longest]. */
  public static NDArray[] inputs(NDManager m, List<TokenizedText> texts, long padId) {
    int longest = 0;
    for (TokenizedText t : texts) {
      longest = Math.max(longest, t.length());
    }
    long[] ids = new long[texts.size() * longest];
    long[] mask = new long[ids.length];
    for (int b = 0; b < texts.size(); b++) {
      long[] src = texts.get(b).ids();
      int base = b * longest;
      for (int i = 0; i < longest; i++) {
        if (i < src.length) {
          ids[base + i] = src[i];
          mask[base + i] = 1;
        } else {
          ids[base + i] = padId;
        }
      }
    }
    Shape s = new Shape(texts.size(), longest);
    return new NDArray[] {m.create(ids, s), m.create(mask, s)};
  }

  @Override
  public void close() {
    tokenizer.close();
    if (ownsWeights) {
      encoder.parameters().close();
    }
    synchronized (this) {
      if (headManager != null) {
        headManager.close();
      }
    }
  }
}

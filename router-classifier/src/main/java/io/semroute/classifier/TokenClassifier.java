package io.semroute.classifier;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.head.TokenHead;
import io.semroute.classifier.model.LabelSet;
import io.semroute.classifier.text.TokenizedText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A token classifier (PII): texts in, a label per token and merged entity spans with character
 * offsets out. Thread-safe; {@link #classify(EncodedBatch)} shares an encoder pass.
 */
public final class TokenClassifier implements AutoCloseable {
  private final TextEncoder encoder;
  private final TokenHead head;
  private final LabelSet labels;
  private final boolean ownsEncoder;

  public TokenClassifier(TextEncoder encoder, TokenHead head, LabelSet labels, boolean ownsEncoder) {
    if (head.numLabels() != labels.size()) {
      throw new IllegalArgumentException("head has " + head.numLabels() + " outputs but " + labels.size() + " labels");
    }
    this.encoder = encoder;
    this.head = head;
    this.labels = labels;
    this.ownsEncoder = ownsEncoder;
  }

  /** Loads a {@code *ForTokenClassification} model directory. */
  public static TokenClassifier open(Path dir) {
    return open(dir, LoadOptions.DEFAULT);
  }

  public static TokenClassifier open(Path dir, LoadOptions options) {
    return ModelDirectory.load(dir, options).tokenClassifier();
  }

  public TextEncoder encoder() {
    return encoder;
  }

  public TokenHead head() {
    return head;
  }

  public LabelSet labels() {
    return labels;
  }

  public TokenClassification classify(String text) {
    return classify(List.of(text)).get(0);
  }

  public List<TokenClassification> classify(List<String> texts) {
    try (EncodedBatch b = encoder.encode(texts)) {
      return classify(b);
    }
  }

  public List<TokenClassification> classifyTokenized(List<TokenizedText> texts) {
    try (EncodedBatch b = encoder.encodeTokenized(texts)) {
      return classify(b);
    }
  }

  /** Raw logits [batch][token][label] for real tokens (special tokens included), for tests and tools. */
  public List<float[][]> logits(EncodedBatch batch) {
    float[] flat = Ops.noGrad(() -> head.logits(batch.hidden()).toFloatArray());
    int seq = batch.sequenceLength();
    int n = labels.size();
    List<float[][]> out = new ArrayList<>();
    for (int b = 0; b < batch.size(); b++) {
      int len = batch.texts().get(b).length();
      float[][] rows = new float[len][];
      for (int i = 0; i < len; i++) {
        int off = (b * seq + i) * n;
        rows[i] = java.util.Arrays.copyOfRange(flat, off, off + n);
      }
      out.add(rows);
    }
    return out;
  }

  /** Applies this head to a batch encoded by the same encoder; does not close it. */
  public List<TokenClassification> classify(EncodedBatch batch) {
    List<float[][]> all = logits(batch);
    List<TokenClassification> out = new ArrayList<>(batch.size());
    for (int b = 0; b < batch.size(); b++) {
      TokenizedText t = batch.texts().get(b);
      float[][] rows = all.get(b);
      List<TokenLabel> tokens = new ArrayList<>();
      for (int i = 0; i < t.length(); i++) {
        if (t.special()[i]) {
          continue;
        }
        float[] p = Softmax.of(rows[i], 0, rows[i].length);
        int best = Softmax.argmax(p);
        tokens.add(new TokenLabel(t.tokens()[i], labels.get(best), p[best], t.charStart()[i], t.charEnd()[i]));
      }
      out.add(new TokenClassification(EntityMerger.merge(t.text(), tokens), tokens, t.truncated()));
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

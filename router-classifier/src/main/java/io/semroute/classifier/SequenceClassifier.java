package io.semroute.classifier;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.checkpoint.LabelSet;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.head.LexicalLogits;
import io.semroute.classifier.head.SequenceHead;
import io.semroute.classifier.text.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sequence classifier (domain, jailbreak...): texts in, one label with probabilities each.
 *
 * <pre>{@code
 * try (SequenceClassifier c = ClassifierRegistry.openSequence(Path.of("models/category"), LoadOptions.DEFAULT)) {
 *   SequenceClassification r = c.classify(List.of("What is 2+2?")).get(0);
 * }
 * }</pre>
 *
 * Thread-safe. {@link #classify(EncodedBatch)} lets several heads share one encoder pass.
 */
public final class SequenceClassifier implements AutoCloseable {
  private final TextEncoder encoder;
  private final SequenceHead head;
  private final LabelSet labels;
  private final boolean ownsEncoder;
  private final LexicalLogits lexical;

  public SequenceClassifier(
      TextEncoder encoder, SequenceHead head, LabelSet labels, boolean ownsEncoder) {
    this(encoder, head, labels, ownsEncoder, null);
  }

  /**
   * @param lexical word n-gram logits added to the head's logits (from the whole original text), or
   *     null for an encoder-only head
   */
  public SequenceClassifier(
      TextEncoder encoder,
      SequenceHead head,
      LabelSet labels,
      boolean ownsEncoder,
      LexicalLogits lexical) {
    if (head.numLabels() != labels.size()) {
      throw new IllegalArgumentException(
          "head has " + head.numLabels() + " outputs but " + labels.size() + " labels");
    }
    this.encoder = encoder;
    this.head = head;
    this.labels = labels;
    this.ownsEncoder = ownsEncoder;
    if (lexical != null && lexical.classes() != labels.size()) {
      throw new IllegalArgumentException(
          "lexical layer has " + lexical.classes() + " outputs but " + labels.size() + " labels");
    }
    this.lexical = lexical;
  }

  /** The word n-gram part of the head, or null. */
  public LexicalLogits lexical() {
    return lexical;
  }

  public TextEncoder encoder() {
    return encoder;
  }

  public SequenceHead head() {
    return head;
  }

  public LabelSet labels() {
    return labels;
  }

  public SequenceClassification classify(String text) {
    return classify(List.of(text)).get(0);
  }

  /** Tokenizes, encodes and classifies the texts as one batch. */
  public List<SequenceClassification> classify(List<String> texts) {
    try (EncodedBatch b = encoder.encode(texts)) {
      return classify(b);
    }
  }

  /** For a micro-batcher that tokenized up front (to group by length). */
  public List<SequenceClassification> classifyTokenized(List<TokenizedText> texts) {
    try (EncodedBatch b = encoder.encodeTokenized(texts)) {
      return classify(b);
    }
  }

  /** Applies this head to a batch encoded by the same encoder; does not close it. */
  public List<SequenceClassification> classify(EncodedBatch batch) {
    float[] flat =
        Ops.noGrad(
            () -> {
              NDArray logits = head.logits(batch.hidden(), batch.attentionMask());
              return logits.toFloatArray();
            });
    int n = labels.size();
    List<SequenceClassification> out = new ArrayList<>(batch.size());
    for (int b = 0; b < batch.size(); b++) {
      float[] logits = Arrays.copyOfRange(flat, b * n, b * n + n);
      TokenizedText t = batch.texts().get(b);
      if (lexical != null) {
        float[] extra = lexical.logits(t.text());
        for (int i = 0; i < n; i++) {
          logits[i] += extra[i];
        }
      }
      float[] p = Softmax.of(logits, 0, n);
      int best = Softmax.argmax(p);
      Map<String, Float> scores = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        scores.put(labels.get(i), p[i]);
      }
      out.add(
          new SequenceClassification(
              labels.get(best), p[best], scores, logits, t.truncated(), t.length()));
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

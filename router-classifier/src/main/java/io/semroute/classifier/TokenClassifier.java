package io.semroute.classifier;

import io.semroute.classifier.checkpoint.LabelSet;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.head.TokenHead;
import io.semroute.classifier.text.TokenWindow;
import io.semroute.classifier.text.TokenizedText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A token classifier (PII): texts in, a label per token and merged entity spans with character
 * offsets out. Thread-safe; {@link #classify(EncodedBatch)} shares an encoder pass (on texts as
 * tokenized there, i.e. head + tail truncated), while {@link #classify(List)} covers long texts
 * whole with overlapping windows.
 */
public final class TokenClassifier implements AutoCloseable {
  private final TextEncoder encoder;
  private final TokenHead head;
  private final LabelSet labels;
  private final boolean ownsEncoder;

  public TokenClassifier(
      TextEncoder encoder, TokenHead head, LabelSet labels, boolean ownsEncoder) {
    if (head.numLabels() != labels.size()) {
      throw new IllegalArgumentException(
          "head has " + head.numLabels() + " outputs but " + labels.size() + " labels");
    }
    this.encoder = encoder;
    this.head = head;
    this.labels = labels;
    this.ownsEncoder = ownsEncoder;
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

  /**
   * Labels every token of every text: a text longer than the model's budget is split into
   * overlapping windows (all run in one batch) instead of being truncated, so an entity in the
   * middle of a long prompt is still found.
   */
  public List<TokenClassification> classify(List<String> texts) {
    List<TokenWindow> windows = new ArrayList<>();
    int[] firstWindow = new int[texts.size() + 1];
    for (int i = 0; i < texts.size(); i++) {
      firstWindow[i] = windows.size();
      windows.addAll(
          encoder
              .tokenizer()
              .windows(encoder.tokenizer().tokenizeUntruncated(texts.get(i)), WINDOW_OVERLAP));
    }
    firstWindow[texts.size()] = windows.size();
    List<TokenizedText> inputs = new ArrayList<>(windows.size());
    windows.forEach(w -> inputs.add(w.text()));
    List<float[][]> logits;
    try (EncodedBatch b = encoder.encodeTokenized(inputs)) {
      logits = logits(b);
    }
    List<TokenClassification> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      List<TokenLabel> tokens = new ArrayList<>();
      boolean truncated = false;
      for (int w = firstWindow[i]; w < firstWindow[i + 1]; w++) {
        TokenWindow win = windows.get(w);
        TokenizedText t = win.text();
        truncated |= t.truncated();
        int lead = 0;
        while (lead < t.length() && t.special()[lead]) {
          lead++;
        }
        for (int k = 0; k < t.length(); k++) {
          int fullIndex = win.firstFullIndex() + (k - lead);
          if (t.special()[k] || fullIndex < win.ownedFrom() || fullIndex >= win.ownedTo()) {
            continue;
          }
          tokens.add(label(t, k, logits.get(w)[k]));
        }
      }
      out.add(new TokenClassification(EntityMerger.merge(texts.get(i), tokens), tokens, truncated));
    }
    return out;
  }

  /**
   * Content tokens shared by neighbouring windows of a long text (context for the tokens at their
   * edges).
   */
  static final int WINDOW_OVERLAP = 64;

  private TokenLabel label(TokenizedText t, int k, float[] logits) {
    float[] p = Softmax.of(logits, 0, logits.length);
    int best = Softmax.argmax(p);
    return new TokenLabel(
        t.tokens()[k], labels.get(best), p[best], t.charStart()[k], t.charEnd()[k]);
  }

  public List<TokenClassification> classifyTokenized(List<TokenizedText> texts) {
    try (EncodedBatch b = encoder.encodeTokenized(texts)) {
      return classify(b);
    }
  }

  /**
   * Raw logits [batch][token][label] for real tokens (special tokens included), for tests and
   * tools.
   */
  public List<float[][]> logits(EncodedBatch batch) {
    float[] flat = Ops.noGrad(() -> head.logits(batch).toFloatArray());
    int seq = batch.sequenceLength();
    int n = labels.size();
    List<float[][]> out = new ArrayList<>();
    for (int b = 0; b < batch.size(); b++) {
      int len = batch.texts().get(b).length();
      float[][] rows = new float[len][];
      for (int i = 0; i < len; i++) {
        int off = (b * seq + i) * n;
        rows[i] = Arrays.copyOfRange(flat, off, off + n);
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
        tokens.add(label(t, i, rows[i]));
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

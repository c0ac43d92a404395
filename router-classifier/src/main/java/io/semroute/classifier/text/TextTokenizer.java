package io.semroute.classifier.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face {@code tokenizer.json} (through DJL's Rust tokenizers binding, native library
 * loaded from the jar) plus this model's truncation policy. Texts are first encoded whole, with no
 * truncation or padding by the tokenizer itself, so the policy sees the full token list and can
 * keep both ends. Thread-safe.
 */
public final class TextTokenizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TextTokenizer.class);

  private final HuggingFaceTokenizer tokenizer;
  private final TruncationPolicy policy;
  private final String source;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, TruncationPolicy policy, String source) {
    this.tokenizer = tokenizer;
    this.policy = policy;
    this.source = source;
  }

  private static Map<String, String> options() {
    // The tokenizer must not truncate or pad on its own: the policy needs every token and
    // batching pads later, length-aware. modelMaxLength only silences a length warning.
    return Map.of(
        "addSpecialTokens", "true",
        "truncation", "false",
        "padding", "false",
        "modelMaxLength", Integer.toString(Integer.MAX_VALUE));
  }

  public static TextTokenizer fromFile(Path tokenizerJson, TruncationPolicy policy) {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new CheckpointFormatException(
          "missing " + tokenizerJson + " (the model directory needs tokenizer.json)");
    }
    try {
      return new TextTokenizer(
          HuggingFaceTokenizer.newInstance(tokenizerJson, options()),
          policy,
          tokenizerJson.toString());
    } catch (IOException | RuntimeException e) {
      throw new CheckpointFormatException(
          tokenizerJson + ": cannot load tokenizer: " + e.getMessage(), e);
    }
  }

  public static TextTokenizer fromStream(InputStream in, String source, TruncationPolicy policy) {
    try (in) {
      return new TextTokenizer(HuggingFaceTokenizer.newInstance(in, options()), policy, source);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointFormatException(source + ": cannot load tokenizer: " + e.getMessage(), e);
    }
  }

  public TruncationPolicy policy() {
    return policy;
  }

  public TokenizedText tokenize(String text) {
    return fromEncoding(text, tokenizer.encode(text, true, false));
  }

  public List<TokenizedText> tokenize(List<String> texts) {
    Encoding[] enc = tokenizer.batchEncode(texts, true, false);
    List<TokenizedText> out = new ArrayList<>(texts.size());
    for (int i = 0; i < enc.length; i++) {
      out.add(fromEncoding(texts.get(i), enc[i]));
    }
    return out;
  }

  /** The whole text, however long: for callers that split it into windows. */
  public TokenizedText tokenizeUntruncated(String text) {
    return build(text, tokenizer.encode(text, true, false), false);
  }

  /**
   * Splits a tokenization into windows of at most the policy's max tokens (special tokens included)
   * overlapping by {@code overlap} content tokens. A text that fits is one window.
   */
  public List<TokenWindow> windows(TokenizedText full, int overlap) {
    int n = full.length();
    boolean[] sp = full.special();
    int lead = 0;
    while (lead < n && sp[lead]) {
      lead++;
    }
    int trail = 0;
    while (trail < n - lead && sp[n - 1 - trail]) {
      trail++;
    }
    int content = n - lead - trail;
    int budget = policy.maxTokens() - lead - trail;
    List<TokenWindow> out = new ArrayList<>();
    if (n <= policy.maxTokens()) {
      out.add(new TokenWindow(full, lead, 0, n));
      return out;
    }
    if (budget <= 0) {
      // Degenerate budget (no room besides special tokens): fall back to plain truncation.
      int[] keep = policy.keep(sp);
      TokenizedText t = keepOnly(full, keep, false);
      out.add(
          new TokenWindow(
              new TokenizedText(
                  t.text(), t.ids(), t.tokens(), t.charStart(), t.charEnd(), t.special(), true, n),
              lead,
              0,
              n));
      return out;
    }
    int ov = Math.max(0, Math.min(overlap, budget / 2));
    int stride = budget - ov;
    List<int[]> ranges = new ArrayList<>();
    for (int start = 0; ; start += stride) {
      int s0 = Math.min(start, content - budget);
      ranges.add(new int[] {s0, s0 + budget});
      if (s0 + budget >= content) {
        break;
      }
    }
    for (int w = 0; w < ranges.size(); w++) {
      int[] r = ranges.get(w);
      int[] keep = new int[lead + budget + trail];
      int j = 0;
      for (int i = 0; i < lead; i++) {
        keep[j++] = i;
      }
      for (int i = r[0]; i < r[1]; i++) {
        keep[j++] = lead + i;
      }
      for (int i = n - trail; i < n; i++) {
        keep[j++] = i;
      }
      int ownedFrom = w == 0 ? 0 : lead + (ranges.get(w - 1)[1] + r[0]) / 2;
      int ownedTo = w == ranges.size() - 1 ? n : lead + (r[1] + ranges.get(w + 1)[0]) / 2;
      out.add(new TokenWindow(keepOnly(full, keep, false), lead + r[0], ownedFrom, ownedTo));
    }
    return out;
  }

  /** The tokens at {@code keep} (indices into {@code full}); the original count is kept. */
  private static TokenizedText keepOnly(TokenizedText full, int[] keep, boolean truncated) {
    long[] kIds = new long[keep.length];
    String[] kTok = new String[keep.length];
    int[] kStart = new int[keep.length];
    int[] kEnd = new int[keep.length];
    boolean[] kSpecial = new boolean[keep.length];
    for (int j = 0; j < keep.length; j++) {
      int i = keep[j];
      kIds[j] = full.ids()[i];
      kTok[j] = full.tokens()[i];
      kStart[j] = full.charStart()[i];
      kEnd[j] = full.charEnd()[i];
      kSpecial[j] = full.special()[i];
    }
    return new TokenizedText(
        full.text(), kIds, kTok, kStart, kEnd, kSpecial, truncated, full.originalTokenCount());
  }

  private TokenizedText fromEncoding(String text, Encoding e) {
    return build(text, e, true);
  }

  private TokenizedText build(String text, Encoding e, boolean applyPolicy) {
    long[] ids = e.getIds();
    String[] tokens = e.getTokens();
    long[] specialMask = e.getSpecialTokenMask();
    CharSpan[] spans = e.getCharTokenSpans();
    int n = ids.length;
    boolean[] special = new boolean[n];
    int[] start = new int[n];
    int[] end = new int[n];
    CodePointIndex cps = CodePointIndex.of(text);
    for (int i = 0; i < n; i++) {
      special[i] = specialMask[i] != 0;
      CharSpan s = spans[i];
      if (special[i] || s == null) {
        start[i] = -1;
        end[i] = -1;
      } else {
        start[i] = cps.toUtf16(s.getStart());
        end[i] = cps.toUtf16(s.getEnd());
      }
    }
    int[] keep = applyPolicy ? policy.keep(special) : null;
    if (keep == null) {
      return new TokenizedText(text, ids, tokens, start, end, special, false, n);
    }
    LOG.debug(
        "truncated a text of {} tokens to {} (head {} of budget, policy {})",
        n,
        keep.length,
        policy.headFraction(),
        source);
    TokenizedText full = new TokenizedText(text, ids, tokens, start, end, special, false, n);
    return keepOnly(full, keep, true);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}

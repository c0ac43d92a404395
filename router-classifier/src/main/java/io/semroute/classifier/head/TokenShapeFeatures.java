package io.semroute.classifier.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.semroute.classifier.text.TokenizedText;
import java.util.List;

/**
 * Case and shape features of each token, read from the ORIGINAL text through the token's character
 * offsets. The built-in encoder (all-MiniLM-L6-v2) is uncased: it lower-cases its input, so its
 * states cannot tell "Rose" the name from "rose" the flower, or an upper-cased city from a word;
 * these few binary features give the PII head that back. Training ({@code TokenHeadTraining}) and
 * serving ({@link TokenHead}) both call {@link #of}, so the two agree by construction; a model's
 * {@code config.json} names the feature set ({@code token_features: "case-shape-v1"}) so older
 * models without them still load.
 *
 * <p>The "word" of a token is the run of letters, digits and combining marks around it, so the
 * sub-word pieces of "Gelencsér" all see the word's capital.
 */
public final class TokenShapeFeatures {
  /** Name recorded in config.json. */
  public static final String NAME = "case-shape-v1";

  static final int SPECIAL = 0;
  static final int WORD_CAPITALISED = 1;
  static final int WORD_ALL_UPPER = 2;
  static final int WORD_ALL_LOWER = 3;
  static final int HAS_DIGIT = 4;
  static final int ALL_DIGITS = 5;
  static final int PUNCTUATION = 6;
  static final int STARTS_WORD = 7;
  static final int AFTER_LINE_BREAK = 8;
  static final int SENTENCE_START = 9;
  static final int TEXT_ALL_UPPER = 10;
  static final int TEXT_ALL_LOWER = 11;
  static final int WORD_NON_ASCII = 12;
  static final int WORD_ONE_CHAR = 13;

  /** Features per token. */
  public static final int SIZE = 14;

  private TokenShapeFeatures() {}

  /** One row of {@link #SIZE} features (0 or 1) per token of {@code t}, special tokens included. */
  public static float[][] of(TokenizedText t) {
    String text = t.text();
    boolean anyUpper = false;
    boolean anyLower = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      anyUpper |= Character.isUpperCase(c);
      anyLower |= Character.isLowerCase(c);
    }
    float[][] out = new float[t.length()][SIZE];
    for (int k = 0; k < t.length(); k++) {
      float[] f = out[k];
      int s = t.charStart()[k];
      int e = t.charEnd()[k];
      if (t.special()[k] || s < 0 || e <= s || e > text.length()) {
        f[SPECIAL] = 1;
        continue;
      }
      f[TEXT_ALL_UPPER] = anyUpper && !anyLower ? 1 : 0;
      f[TEXT_ALL_LOWER] = anyLower && !anyUpper ? 1 : 0;
      boolean digit = false;
      boolean allDigits = true;
      boolean letterOrDigit = false;
      for (int i = s; i < e; i++) {
        char c = text.charAt(i);
        digit |= Character.isDigit(c);
        allDigits &= Character.isDigit(c);
        letterOrDigit |= Character.isLetterOrDigit(c);
      }
      f[HAS_DIGIT] = digit ? 1 : 0;
      f[ALL_DIGITS] = allDigits ? 1 : 0;
      f[PUNCTUATION] = letterOrDigit ? 0 : 1;
      f[STARTS_WORD] = s == 0 || !wordChar(text.charAt(s - 1)) ? 1 : 0;

      int ws = s;
      int we = e;
      if (letterOrDigit) {
        while (ws > 0 && wordChar(text.charAt(ws - 1))) {
          ws--;
        }
        while (we < text.length() && wordChar(text.charAt(we))) {
          we++;
        }
      }
      boolean upper = false;
      boolean lower = false;
      boolean nonAscii = false;
      for (int i = ws; i < we; i++) {
        char c = text.charAt(i);
        upper |= Character.isUpperCase(c);
        lower |= Character.isLowerCase(c);
        nonAscii |= c > 127 && Character.isLetter(c);
      }
      f[WORD_CAPITALISED] = Character.isUpperCase(text.charAt(ws)) ? 1 : 0;
      f[WORD_ALL_UPPER] = upper && !lower ? 1 : 0;
      f[WORD_ALL_LOWER] = lower && !upper ? 1 : 0;
      f[WORD_NON_ASCII] = nonAscii ? 1 : 0;
      f[WORD_ONE_CHAR] = we - ws == 1 ? 1 : 0;

      int p = ws - 1;
      boolean lineBreak = false;
      while (p >= 0 && Character.isWhitespace(text.charAt(p))) {
        lineBreak |= text.charAt(p) == '\n';
        p--;
      }
      f[AFTER_LINE_BREAK] = p < 0 || lineBreak ? 1 : 0;
      f[SENTENCE_START] = p < 0 || ".!?:>".indexOf(text.charAt(p)) >= 0 ? 1 : 0;
    }
    return out;
  }

  /** The features of a padded batch as [batch, seq, SIZE]; padding positions are zeros. */
  public static NDArray of(List<TokenizedText> texts, int seq, NDManager m) {
    float[] flat = new float[texts.size() * seq * SIZE];
    for (int b = 0; b < texts.size(); b++) {
      float[][] rows = of(texts.get(b));
      for (int i = 0; i < rows.length && i < seq; i++) {
        System.arraycopy(rows[i], 0, flat, (b * seq + i) * SIZE, SIZE);
      }
    }
    return m.create(flat, new Shape(texts.size(), seq, SIZE));
  }

  private static boolean wordChar(char c) {
    return Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK;
  }
}

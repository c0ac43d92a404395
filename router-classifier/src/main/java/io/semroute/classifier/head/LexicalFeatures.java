package io.semroute.classifier.head;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hashed word n-gram features of the whole original text, beside the encoder's sentence vector.
 * Topic words ("enzyme", "tort", "eigenvalue") and attack phrases ("developer mode", "ignore
 * previous") are strong signals that a mean-pooled 256-token sentence embedding blurs, and they
 * cost microseconds per text: no truncation, no encoder pass.
 *
 * <p>Scheme ({@value #SCHEME}): lower-case (Locale.ROOT), words are maximal runs of letters or
 * digits, unigrams and bigrams (joined by one space) hashed with 64-bit FNV-1a over UTF-8 into
 * {@code buckets}; value per bucket {@code (1 + ln count) * idf[bucket]}, then L2-normalised. The
 * idf vector is fitted on the training texts and stored with the model, so training and serving
 * compute identical vectors from this one class.
 */
public final class LexicalFeatures {
  public static final String SCHEME = "fnv1a64-word-1-2gram-logtf-idf-l2";

  private final int buckets;
  private final float[] idf;

  /** A sparse feature vector: sorted distinct bucket indices and their values. */
  public record Vector(int[] index, float[] value) {}

  public LexicalFeatures(float[] idf) {
    if (idf.length == 0) {
      throw new IllegalArgumentException("lexical features need at least one bucket");
    }
    this.buckets = idf.length;
    this.idf = idf.clone();
  }

  /** Smoothed idf {@code ln((1 + n) / (1 + df)) + 1} over the training texts. */
  public static LexicalFeatures fit(List<String> texts, int buckets) {
    int[] df = new int[buckets];
    for (String t : texts) {
      for (int b : counts(t, buckets).keySet()) {
        df[b]++;
      }
    }
    float[] idf = new float[buckets];
    for (int b = 0; b < buckets; b++) {
      idf[b] = (float) (Math.log((1.0 + texts.size()) / (1.0 + df[b])) + 1.0);
    }
    return new LexicalFeatures(idf);
  }

  public int buckets() {
    return buckets;
  }

  public float[] idf() {
    return idf.clone();
  }

  public Vector features(String text) {
    Map<Integer, Integer> counts = counts(text, buckets);
    int[] index = counts.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    float[] value = new float[index.length];
    double norm = 0;
    for (int i = 0; i < index.length; i++) {
      double v = (1 + Math.log(counts.get(index[i]))) * idf[index[i]];
      value[i] = (float) v;
      norm += v * v;
    }
    if (norm > 0) {
      float inv = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < value.length; i++) {
        value[i] *= inv;
      }
    }
    return new Vector(index, value);
  }

  public List<Vector> features(List<String> texts) {
    List<Vector> out = new ArrayList<>(texts.size());
    texts.forEach(t -> out.add(features(t)));
    return out;
  }

  /** Words of a text as this scheme sees them. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    String s = text.toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (Character.isLetterOrDigit(cp)) {
        int start = i;
        while (i < s.length() && Character.isLetterOrDigit(s.codePointAt(i))) {
          i += Character.charCount(s.codePointAt(i));
        }
        out.add(s.substring(start, i));
      } else {
        i += Character.charCount(cp);
      }
    }
    return out;
  }

  private static Map<Integer, Integer> counts(String text, int buckets) {
    List<String> words = words(text);
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      counts.merge(bucket(words.get(i), buckets), 1, Integer::sum);
      if (i > 0) {
        counts.merge(bucket(words.get(i - 1) + " " + words.get(i), buckets), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The bucket of one n-gram (words joined by one space). */
  public static int bucket(String gram, int buckets) {
    long h = 0xcbf29ce484222325L;
    for (byte b : gram.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return (int) Long.remainderUnsigned(h, buckets);
  }

  @Override
  public String toString() {
    return "LexicalFeatures["
        + SCHEME
        + ", buckets="
        + buckets
        + ", idf[0..3]="
        + Arrays.toString(Arrays.copyOf(idf, 3))
        + "]";
  }
}

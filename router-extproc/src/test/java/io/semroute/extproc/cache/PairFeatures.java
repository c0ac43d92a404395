package io.semroute.extproc.cache;

import java.util.List;
import java.util.Set;

/**
 * The features a learned pair check reads: the two embeddings compared dimension by dimension (|u -
 * v| and u * v, scaled to about unit size), their cosine, the lengths of the two texts and what
 * {@link QuestionEquivalence} left unmatched, counted by part of speech.
 */
final class PairFeatures {
  static final Set<String> WH = Set.of("who", "whom", "whose", "where", "when", "why", "how");

  private PairFeatures() {}

  static double[] of(
      float[] u,
      float[] v,
      String a,
      String b,
      QuestionEquivalence.Examination ex,
      QuestionEquivalence eq) {
    int d = u.length;
    double[] f = new double[2 * d + 13];
    double scale = Math.sqrt(d);
    double cos = 0;
    for (int i = 0; i < d; i++) {
      f[i] = Math.abs(u[i] - v[i]) * scale;
      f[d + i] = u[i] * v[i] * d;
      cos += u[i] * v[i];
    }
    int k = 2 * d;
    int ta = QuestionEquivalence.tokens(QuestionEquivalence.unframed(a)).size();
    int tb = QuestionEquivalence.tokens(QuestionEquivalence.unframed(b)).size();
    int na = ex.unmatchedA().size();
    int nb = ex.unmatchedB().size();
    f[k++] = cos;
    f[k++] = cos * cos;
    f[k++] = Math.min(ta, tb);
    f[k++] = Math.max(ta, tb);
    f[k++] = na + nb;
    f[k++] = Math.max(na, nb);
    f[k++] = (na + nb) / (double) (ta + tb + 1);
    for (List<String> side : List.of(ex.unmatchedA(), ex.unmatchedB())) {
      for (String w : side) {
        String pos = eq.lexeme(w).mainPos();
        int at =
            WH.contains(w)
                ? 5
                : switch (pos) {
                  case "noun" -> 0;
                  case "verb" -> 1;
                  case "adjective" -> 2;
                  case "adverb" -> 3;
                  default -> 4;
                };
        f[k + at]++;
      }
    }
    return f;
  }
}

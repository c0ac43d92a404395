package io.semroute.classifier.head;

/**
 * A linear layer over {@link LexicalFeatures} whose logits are added to a sequence head's logits
 * (the head's bias covers both). Plain Java: the vectors are sparse (a few hundred non-zeros), so a
 * dot product per non-zero beats building a dense tensor.
 *
 * @param weight [classes, buckets] row-major (torch Linear layout, no bias)
 */
public record LexicalLogits(LexicalFeatures features, int classes, float[] weight) {

  public LexicalLogits {
    if (weight.length != (long) classes * features.buckets()) {
      throw new IllegalArgumentException(
          "lexical weight has "
              + weight.length
              + " values, expected "
              + classes
              + " x "
              + features.buckets());
    }
  }

  public float[] logits(String text) {
    return logits(features.features(text));
  }

  public float[] logits(LexicalFeatures.Vector v) {
    int buckets = features.buckets();
    float[] out = new float[classes];
    for (int c = 0; c < classes; c++) {
      double s = 0;
      int base = c * buckets;
      for (int i = 0; i < v.index().length; i++) {
        s += weight[base + v.index()[i]] * v.value()[i];
      }
      out[c] = (float) s;
    }
    return out;
  }
}

package io.semroute.classifier.outcome;

import java.util.List;

/**
 * Predicted success per model from a feature vector: one logistic regression per model over
 * standardised features, {@code p_m = sigmoid(w_m . (x - mean) / scale + b_m)}. The features are
 * {@link OutcomeFeatures}: the encoder's mean-pooled vector plus a few prompt-shape values.
 */
public final class OutcomeHead {
  private final List<String> models;
  private final float[] mean;
  private final float[] scale;
  private final float[][] weight;
  private final float[] bias;

  public OutcomeHead(
      List<String> models, float[] mean, float[] scale, float[][] weight, float[] bias) {
    if (weight.length != models.size() || bias.length != models.size()) {
      throw new IllegalArgumentException(
          "weights for " + weight.length + " models, " + models.size() + " named");
    }
    for (float[] w : weight) {
      if (w.length != mean.length) {
        throw new IllegalArgumentException(
            "weight width " + w.length + " != feature width " + mean.length);
      }
    }
    if (scale.length != mean.length) {
      throw new IllegalArgumentException(
          "scale width " + scale.length + " != feature width " + mean.length);
    }
    this.models = List.copyOf(models);
    this.mean = mean;
    this.scale = scale;
    this.weight = weight;
    this.bias = bias;
  }

  public List<String> models() {
    return models;
  }

  public int width() {
    return mean.length;
  }

  public float[] mean() {
    return mean.clone();
  }

  public float[] scale() {
    return scale.clone();
  }

  public float[][] weight() {
    float[][] w = new float[weight.length][];
    for (int i = 0; i < w.length; i++) {
      w[i] = weight[i].clone();
    }
    return w;
  }

  public float[] bias() {
    return bias.clone();
  }

  /** Probability of success per model, in {@link #models()} order. */
  public double[] predict(float[] features) {
    if (features.length != mean.length) {
      throw new IllegalArgumentException(
          "expected " + mean.length + " features, got " + features.length);
    }
    double[] z = new double[mean.length];
    for (int k = 0; k < z.length; k++) {
      z[k] = (features[k] - mean[k]) / scale[k];
    }
    double[] p = new double[models.size()];
    for (int m = 0; m < p.length; m++) {
      double s = bias[m];
      float[] w = weight[m];
      for (int k = 0; k < z.length; k++) {
        s += w[k] * z[k];
      }
      p[m] = 1 / (1 + Math.exp(-s));
    }
    return p;
  }
}

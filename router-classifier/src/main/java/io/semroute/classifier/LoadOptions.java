package io.semroute.classifier;

import io.semroute.classifier.text.TruncationPolicy;

/**
 * How to load a model.
 *
 * @param device where to run ({@code auto}: CUDA if present, else CPU)
 * @param maxTokens longest input kept, special tokens included; 0 means the model's {@code
 *     max_position_embeddings}; larger values are capped there
 * @param headFraction share of the truncation budget taken from the start of a long text (the rest
 *     comes from its end)
 */
public record LoadOptions(DeviceSpec device, int maxTokens, double headFraction) {

  public static final LoadOptions DEFAULT =
      new LoadOptions(DeviceSpec.AUTO, 0, TruncationPolicy.DEFAULT_HEAD_FRACTION);

  public LoadOptions {
    if (device == null) {
      device = DeviceSpec.AUTO;
    }
    if (maxTokens < 0) {
      throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
    }
  }

  public LoadOptions withDevice(DeviceSpec d) {
    return new LoadOptions(d, maxTokens, headFraction);
  }

  public LoadOptions withMaxTokens(int n) {
    return new LoadOptions(device, n, headFraction);
  }

  /** The token budget for a model whose position table has {@code modelLimit} rows. */
  public int effectiveMaxTokens(int modelLimit) {
    return maxTokens == 0 ? modelLimit : Math.min(maxTokens, modelLimit);
  }
}

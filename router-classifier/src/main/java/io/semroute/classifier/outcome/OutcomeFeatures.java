package io.semroute.classifier.outcome;

import java.util.Arrays;

/**
 * The outcome head's input: the encoder's mean-pooled vector (not normalised) followed by
 * prompt-shape values the encoder cannot see once a long prompt is truncated: log of the character
 * count and of the line count. Training and serving both build it here.
 */
public final class OutcomeFeatures {
  /** Values appended after the pooled vector. */
  public static final int EXTRA = 2;

  private OutcomeFeatures() {}

  public static float[] of(float[] pooled, String prompt) {
    float[] f = Arrays.copyOf(pooled, pooled.length + EXTRA);
    int lines = 1;
    for (int i = 0; i < prompt.length(); i++) {
      if (prompt.charAt(i) == '\n') {
        lines++;
      }
    }
    f[pooled.length] = (float) Math.log1p(prompt.length());
    f[pooled.length + 1] = (float) Math.log(lines);
    return f;
  }
}

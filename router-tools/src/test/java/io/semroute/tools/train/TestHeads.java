package io.semroute.tools.train;

import java.util.Random;

/** Head fixtures shared by the loader-equivalence tests. */
final class TestHeads {
  private TestHeads() {}

  /**
   * A small random MLP: first-layer weights N(0, 0.2²) (so tanh/gelu stay out of saturation), zero
   * first-layer bias, output weights N(0, 1), the given output bias. Draws w1 then w2 from {@code
   * r}.
   */
  static MlpHead smallRandom(Random r, int in, int hidden, float[] outputBias) {
    int classes = outputBias.length;
    float[] w1 = new float[hidden * in];
    float[] w2 = new float[classes * hidden];
    for (int i = 0; i < w1.length; i++) {
      w1[i] = (float) r.nextGaussian() * 0.2f;
    }
    for (int i = 0; i < w2.length; i++) {
      w2[i] = (float) r.nextGaussian();
    }
    return new MlpHead(in, hidden, classes, w1, new float[hidden], w2, outputBias);
  }
}

package io.semroute.tools.bench;

/**
 * Floating-point operations of one encoder forward, counted from the architecture: every matrix
 * multiply (a multiply-add is 2 FLOPs) of the linear layers and of attention (scores QK^T and the
 * weighted sum of V). Element-wise work (layer norm, softmax, GELU, residuals, embedding look-ups)
 * is left out: it is a few percent of the total and not GEMM work. Divided by a measured time this
 * gives the achieved GFLOP/s, comparable with the engine's GEMM rate ({@link GemmBench}).
 */
public final class EncoderFlops {

  private EncoderFlops() {}

  /** The shape of a transformer encoder, as far as its FLOPs go. */
  public interface Shape {
    /**
     * FLOPs of one forward over one sequence of {@code tokens} tokens (special tokens included).
     */
    double flops(int tokens);

    /** A one-line description for the report. */
    String describe();
  }

  /**
   * A BERT encoder (all-MiniLM-L6-v2: 6 layers, hidden 384, intermediate 1536): per layer the Q, K,
   * V and output projections (4 h^2 per token), the feed-forward (2 h i per token) and full
   * attention (2 n^2 h for the scores, 2 n^2 h for the weighted sum).
   */
  public static Shape bert(int layers, int hidden, int intermediate) {
    return new Shape() {
      @Override
      public double flops(int n) {
        double linear = 2.0 * n * (4.0 * hidden * hidden + 2.0 * hidden * intermediate);
        double attention = 4.0 * (double) n * n * hidden;
        return layers * (linear + attention);
      }

      @Override
      public String describe() {
        return "BERT, "
            + layers
            + " layers, hidden "
            + hidden
            + ", intermediate "
            + intermediate
            + ", full attention";
      }
    };
  }

  /**
   * ModernBERT: per layer the fused QKV (3 h^2) and output (h^2) projections, a gated feed-forward
   * (input h -> 2i, output i -> h: 3 h i per token), and attention over the pairs each layer
   * attends: all n^2 in global layers (every {@code globalEvery}-th, from layer 0), tokens at most
   * {@code window / 2} apart in the sliding-window layers. Plus the classification head (a dense h
   * x h layer on the pooled vector and the classifier).
   */
  public static Shape modernBert(
      int layers, int hidden, int intermediate, int window, int globalEvery, int labels) {
    return new Shape() {
      @Override
      public double flops(int n) {
        double linear = 2.0 * n * (4.0 * hidden * hidden + 3.0 * hidden * intermediate);
        double total = 0;
        for (int layer = 0; layer < layers; layer++) {
          double pairs = layer % globalEvery == 0 ? (double) n * n : windowPairs(n, window / 2);
          total += linear + 4.0 * pairs * hidden;
        }
        return total + 2.0 * hidden * hidden + 2.0 * hidden * labels;
      }

      @Override
      public String describe() {
        return "ModernBERT, "
            + layers
            + " layers, hidden "
            + hidden
            + ", intermediate "
            + intermediate
            + ", window "
            + window
            + ", global every "
            + globalEvery;
      }
    };
  }

  /** The built-in all-MiniLM-L6-v2. */
  public static Shape miniLm() {
    return bert(6, 384, 1536);
  }

  /** The ModernBERT-base shape {@link SyntheticModernBert} writes. */
  public static Shape modernBertBase() {
    return modernBert(
        SyntheticModernBert.LAYERS,
        SyntheticModernBert.HIDDEN,
        SyntheticModernBert.INTERMEDIATE,
        SyntheticModernBert.LOCAL_ATTENTION,
        SyntheticModernBert.GLOBAL_EVERY,
        SyntheticModernBert.LABELS);
  }

  /** Query-key pairs {@code (i, j)} of an n-token sequence with {@code |i - j| <= half}. */
  static double windowPairs(int n, int half) {
    double pairs = 0;
    for (int i = 0; i < n; i++) {
      pairs += Math.min(n - 1, i + half) - Math.max(0, i - half) + 1;
    }
    return pairs;
  }
}

package io.semroute.tools.train;

/**
 * How many of the encoder's top layers to fine-tune with a sequence head, and how.
 *
 * @param layers top layers trained (0 = head-only over the frozen encoder)
 * @param encoderLr Adam rate of the encoder layers (much smaller than the head's: they start from
 *     good weights and a large step would wash out what pre-training put there)
 * @param epochs maximum fine-tuning epochs
 * @param patience epochs without stop-set improvement before stopping
 * @param batchSize texts per step
 */
public record FineTuneSettings(
    int layers, float encoderLr, int epochs, int patience, int batchSize) {
  public static final FineTuneSettings NONE = new FineTuneSettings(0, 5e-5f, 3, 1, 32);

  public FineTuneSettings {
    if (layers < 0) {
      throw new IllegalArgumentException("fine-tuned layers must be >= 0, got " + layers);
    }
    if (layers > 0 && (epochs < 0 || batchSize < 1)) {
      throw new IllegalArgumentException("fine-tuning needs epochs >= 0 and batch size >= 1");
    }
  }

  public boolean enabled() {
    return layers > 0;
  }
}

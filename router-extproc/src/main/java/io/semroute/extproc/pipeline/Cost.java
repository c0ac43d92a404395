package io.semroute.extproc.pipeline;

import io.semroute.config.Pricing;
import io.semroute.extproc.openai.Usage;

/** What a request cost: its usage at the model's configured {@code pricing}. */
public record Cost(double amount, String currency) {

  /** The cost of this usage, or null when either is unknown. */
  static Cost of(Usage usage, Pricing pricing) {
    if (usage == null || pricing == null) {
      return null;
    }
    return new Cost(
        (usage.promptTokens() * pricing.promptPer1M()
                + usage.completionTokens() * pricing.completionPer1M())
            / 1_000_000.0,
        pricing.currency());
  }
}

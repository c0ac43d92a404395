package io.semroute.config;

/**
 * The jailbreak / prompt-injection guard ({@code classifier.jailbreak}).
 *
 * @param enabled when false the guard is off even if a model is configured
 * @param model sequence classifier with a {@code jailbreak} label; required when enabled
 * @param threshold a request is refused when the model's {@code jailbreak} probability reaches it
 */
public record JailbreakGuardSettings(boolean enabled, ModelPath model, double threshold) {
  public static final double DEFAULT_THRESHOLD = 0.5;
  public static final JailbreakGuardSettings OFF =
      new JailbreakGuardSettings(false, null, DEFAULT_THRESHOLD);

  public boolean active() {
    return enabled && model != null;
  }
}

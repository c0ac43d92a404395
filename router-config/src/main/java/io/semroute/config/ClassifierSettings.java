package io.semroute.config;

/**
 * Classifier settings. Model paths are null when not configured.
 *
 * @param device {@code auto | cpu | gpu:N}
 * @param categoryThreshold below this confidence the default model is used
 * @param categoryModel sequence classifier whose labels are category names, or null
 * @param maxTokens per-model truncation limit, or 0 for the model's own limit
 * @param examplesThreshold cosine similarity an {@code examples:} utterance must reach to count
 * @param jailbreak the jailbreak guard
 * @param pii PII detection
 * @param catchAllCategory the category that means "no particular domain" (the shipped model's
 *     {@code other}), or null: in a conversation, a turn whose best category is this one does not
 *     pull the conversation away from the domain of its earlier turns
 */
public record ClassifierSettings(
    String device,
    double categoryThreshold,
    ModelPath categoryModel,
    int maxTokens,
    double examplesThreshold,
    JailbreakGuardSettings jailbreak,
    PiiSettings pii,
    String catchAllCategory) {
  public static final double DEFAULT_EXAMPLES_THRESHOLD = 0.7;
  public static final ClassifierSettings DEFAULTS =
      new ClassifierSettings(
          "auto",
          0.6,
          null,
          0,
          DEFAULT_EXAMPLES_THRESHOLD,
          JailbreakGuardSettings.OFF,
          PiiSettings.OFF,
          null);

  public ClassifierSettings {
    jailbreak = jailbreak == null ? JailbreakGuardSettings.OFF : jailbreak;
    pii = pii == null ? PiiSettings.OFF : pii;
  }
}

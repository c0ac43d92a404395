package io.semroute.config;

/**
 * A model the router may send traffic to.
 *
 * @param reasoningFamily name of a {@link ReasoningFamily}, or null when the model has no reasoning
 *     switch (the router then never touches reasoning fields for it)
 * @param defaultReasoningEffort effort used when a category turns reasoning on without one (only
 *     for {@code reasoning_effort} families); null means "medium"
 * @param pricing optional, for cost metrics; null when not configured
 * @param piiPolicy which PII types the model may see ({@link PiiPolicy#ALLOW_ALL} by default)
 * @param limits what the model may take before it sheds load ({@link ModelLimits#NONE} by default)
 */
public record ModelSpec(
    String name,
    String reasoningFamily,
    String defaultReasoningEffort,
    Pricing pricing,
    PiiPolicy piiPolicy,
    ModelLimits limits) {

  public ModelSpec {
    piiPolicy = piiPolicy == null ? PiiPolicy.ALLOW_ALL : piiPolicy;
    limits = limits == null ? ModelLimits.NONE : limits;
  }

  public ModelSpec(
      String name,
      String reasoningFamily,
      String defaultReasoningEffort,
      Pricing pricing,
      PiiPolicy piiPolicy) {
    this(name, reasoningFamily, defaultReasoningEffort, pricing, piiPolicy, ModelLimits.NONE);
  }

  public ModelSpec(
      String name, String reasoningFamily, String defaultReasoningEffort, Pricing pricing) {
    this(
        name,
        reasoningFamily,
        defaultReasoningEffort,
        pricing,
        PiiPolicy.ALLOW_ALL,
        ModelLimits.NONE);
  }
}

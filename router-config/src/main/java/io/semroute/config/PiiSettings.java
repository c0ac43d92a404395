package io.semroute.config;

import java.util.Map;

/**
 * PII detection ({@code classifier.pii}) and what happens when a model's {@link PiiPolicy} forbids
 * a detected type.
 *
 * @param enabled when false nothing is scanned
 * @param model token classifier for names, addresses...; null means the deterministic recognizers
 *     alone (credit cards, e-mail, phone, IBAN, IP, SSN, URLs)
 * @param action {@link GuardAction#BLOCK} or {@link GuardAction#REDACT}: applied when no candidate
 *     model may see the detected types (and always for an explicit-model request)
 * @param response the form of a block
 * @param minScores per-type confidence floor for model-detected entities (types not listed use
 *     {@link #DEFAULT_MIN_SCORES} or, failing that, {@link #DEFAULT_MIN_SCORE}); the exact
 *     recognizers' entities always count
 */
public record PiiSettings(
    boolean enabled,
    ModelPath model,
    GuardAction action,
    BlockResponse response,
    Map<String, Double> minScores) {
  /** Floor for model types without their own. */
  public static final double DEFAULT_MIN_SCORE = 0.5;

  /**
   * Floors chosen on dev data only (models/pii/README.md, "Confidence floors"): the highest floor
   * that keeps (nearly) every dev text with a gold entity of the type caught, against the share of
   * ordinary dev prompts (benign dev rows of the jailbreak data) it fires on.
   */
  public static final Map<String, Double> DEFAULT_MIN_SCORES =
      Map.of(
          "PERSON",
          0.9,
          "STREET_ADDRESS",
          0.85,
          "GPE",
          0.85,
          "ORGANIZATION",
          0.85,
          "TITLE",
          0.9,
          "NRP",
          0.85,
          "DATE_TIME",
          0.7);

  public static final PiiSettings OFF = new PiiSettings(false, null);

  public PiiSettings {
    action = action == null ? GuardAction.BLOCK : action;
    response = response == null ? BlockResponse.COMPLETION : response;
    minScores = minScores == null ? Map.of() : Map.copyOf(minScores);
  }

  public PiiSettings(boolean enabled, ModelPath model) {
    this(enabled, model, GuardAction.BLOCK, BlockResponse.COMPLETION, Map.of());
  }

  /** The floor a model-detected entity of this type must reach to count. */
  public double minScore(String type) {
    Double own = minScores.get(type);
    if (own != null) {
      return own;
    }
    return DEFAULT_MIN_SCORES.getOrDefault(type, DEFAULT_MIN_SCORE);
  }
}

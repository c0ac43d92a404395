package io.semroute.extproc.classifiers;

import io.semroute.classifier.CascadeRisk;

/**
 * The jailbreak guard's cascade rule as the serving side reaches it: the guard package does not see
 * the classifier runtime, and the rule itself lives there so that {@code eval --second-stage}
 * measures exactly what the guard serves.
 */
public final class CascadeRisks {
  private CascadeRisks() {}

  /** The risk of a text the first stage escalated ({@link CascadeRisk#of}). */
  public static double escalated(double firstStage, double secondStage) {
    return CascadeRisk.of(firstStage, secondStage);
  }
}

package io.semroute.classifier;

/**
 * How a two-stage guard turns its stages' risks into one: a text the first stage scores below the
 * escalate threshold keeps the first stage's risk; an escalated text gets the mean of both. The
 * mean was chosen on the jailbreak dev split over letting the second stage's risk replace the
 * first's (attack F1 0.9696 vs 0.9667 at 0.5, benign refused 3 vs 7 of 956): the two heads read
 * different encoders and err on different texts, so neither alone is as good as both.
 */
public final class CascadeRisk {
  private CascadeRisk() {}

  /** The risk of a text the first stage escalated. */
  public static double of(double firstStage, double secondStage) {
    return (firstStage + secondStage) / 2;
  }
}

package io.semroute.config;

/**
 * The jailbreak / prompt-injection guard ({@code classifier.jailbreak}).
 *
 * @param enabled when false the guard is off even if a model is configured
 * @param model sequence classifier with a {@code jailbreak} label; required when enabled
 * @param threshold the block threshold ({@code block_threshold}, formerly {@code threshold}): the
 *     guard fires (refuses, or flags with {@code action: flag}) when a turn's attack probability
 *     reaches it
 * @param action {@link GuardAction#BLOCK} (answer from the router) or {@link GuardAction#FLAG}
 *     (forward with {@code x-vsr-jailbreak: flagged})
 * @param blockOnError when the guard cannot answer in time: true refuses (503), false forwards the
 *     request marked {@code x-vsr-jailbreak: unchecked}
 * @param response the form of a block
 * @param flagThreshold {@code flag_threshold}: a request whose attack probability reaches it but
 *     stays below {@code threshold} is forwarded marked {@code x-vsr-jailbreak: flagged} (a log
 *     line and a metric, never a refusal); equal to {@code threshold} when there is no flag band
 * @param secondStage the classifier that decides the turns the first stage escalates, or null (the
 *     first stage decides alone)
 */
public record JailbreakGuardSettings(
    boolean enabled,
    ModelPath model,
    double threshold,
    GuardAction action,
    boolean blockOnError,
    BlockResponse response,
    double flagThreshold,
    JailbreakSecondStage secondStage) {
  public static final double DEFAULT_THRESHOLD = 0.5;
  public static final JailbreakGuardSettings OFF =
      new JailbreakGuardSettings(false, null, DEFAULT_THRESHOLD);

  /** Block with a completion, refuse on error: the defaults. */
  public JailbreakGuardSettings(boolean enabled, ModelPath model, double threshold) {
    this(enabled, model, threshold, GuardAction.BLOCK, true, BlockResponse.COMPLETION);
  }

  /** No flag band: the guard either fires at {@code threshold} or lets the request pass. */
  public JailbreakGuardSettings(
      boolean enabled,
      ModelPath model,
      double threshold,
      GuardAction action,
      boolean blockOnError,
      BlockResponse response) {
    this(enabled, model, threshold, action, blockOnError, response, threshold);
  }

  /** The first stage alone. */
  public JailbreakGuardSettings(
      boolean enabled,
      ModelPath model,
      double threshold,
      GuardAction action,
      boolean blockOnError,
      BlockResponse response,
      double flagThreshold) {
    this(enabled, model, threshold, action, blockOnError, response, flagThreshold, null);
  }

  public boolean active() {
    return enabled && model != null;
  }
}

package io.semroute.extproc.guard;

/**
 * @param blocked whether the risk reached the block threshold (the guard fired; the configured
 *     action decides between refusing and flagging)
 * @param flagged whether the risk reached the flag threshold but not the block threshold: the
 *     request is forwarded marked {@code x-vsr-jailbreak: flagged}
 * @param risk the highest per-turn attack probability seen
 */
public record JailbreakVerdict(boolean blocked, boolean flagged, double risk) {
  public static final JailbreakVerdict NOT_CHECKED = new JailbreakVerdict(false, 0.0);

  public JailbreakVerdict {
    if (blocked && flagged) {
      throw new IllegalArgumentException("a verdict is blocked or flagged, not both");
    }
  }

  /** A verdict without a flag band. */
  public JailbreakVerdict(boolean blocked, double risk) {
    this(blocked, false, risk);
  }

  /** The verdict for {@code risk} under a block and a flag threshold ({@code flag <= block}). */
  public static JailbreakVerdict of(double risk, double blockThreshold, double flagThreshold) {
    boolean blocked = risk >= blockThreshold;
    return new JailbreakVerdict(blocked, !blocked && risk >= flagThreshold, risk);
  }
}

package io.semroute.extproc.guard;

/**
 * @param blocked whether the risk reached the threshold (the guard fired; the configured action
 *     decides between refusing and flagging)
 * @param risk the highest per-turn attack probability seen
 */
public record JailbreakVerdict(boolean blocked, double risk) {
  public static final JailbreakVerdict NOT_CHECKED = new JailbreakVerdict(false, 0.0);
}

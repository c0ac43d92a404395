package io.semroute.extproc.guard;

/**
 * @param blocked whether the request is refused
 * @param risk the highest per-turn attack probability seen
 */
public record JailbreakVerdict(boolean blocked, double risk) {
  public static final JailbreakVerdict NOT_CHECKED = new JailbreakVerdict(false, 0.0);
}

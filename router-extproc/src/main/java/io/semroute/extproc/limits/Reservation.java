package io.semroute.extproc.limits;

import java.util.List;

/**
 * What an admission took from token budgets, so {@link RateLimiter#settle} can replace the prompt
 * estimate by the answer's real count.
 *
 * @param tokenKeys the token counters charged (empty: nothing to settle)
 * @param estimatedTokens what was charged to each of them
 */
public record Reservation(List<String> tokenKeys, long estimatedTokens) {
  /** Nothing was charged. */
  public static final Reservation NONE = new Reservation(List.of(), 0);

  public Reservation {
    tokenKeys = List.copyOf(tokenKeys);
  }
}

package io.semroute.extproc.limits;

/**
 * What {@link RateLimiter#admit} decided.
 *
 * @param admitted the request may go on (its costs were charged)
 * @param retryAfterSeconds when refused: when the first exhausted budget's window starts afresh
 *     (the {@code retry-after} value); 0 when admitted
 * @param rejectedBy when refused: the rule whose budget is exhausted, or {@link #STORE_UNAVAILABLE}
 * @param headers the {@code x-ratelimit-*} numbers, or null when no budget applied or the store
 *     could not answer
 * @param reservation what to settle once the answer's usage is known
 * @param storeUnavailable the counter store failed and {@code fail_open} decided
 */
public record RateLimitResult(
    boolean admitted,
    long retryAfterSeconds,
    String rejectedBy,
    RateLimitHeaders headers,
    Reservation reservation,
    boolean storeUnavailable) {

  /** {@link #rejectedBy} of a refusal because the store failed and {@code fail_open: false}. */
  public static final String STORE_UNAVAILABLE = "rate limit store unavailable";

  /** No rule applied: admitted, nothing charged, no headers. */
  public static final RateLimitResult UNLIMITED =
      new RateLimitResult(true, 0, null, null, Reservation.NONE, false);
}

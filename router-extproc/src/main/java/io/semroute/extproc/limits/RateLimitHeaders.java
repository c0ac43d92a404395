package io.semroute.extproc.limits;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers behind OpenAI's rate-limit headers, for the tightest budget that applied: of the
 * request budgets the one with least left, of the token budgets (per minute and per day) likewise.
 * A value of -1 means no budget of that kind applied (its headers are left out).
 *
 * @param resetRequestsMillis time until the request budget's window starts afresh
 * @param resetTokensMillis time until the token budget's window starts afresh
 */
public record RateLimitHeaders(
    long limitRequests,
    long remainingRequests,
    long resetRequestsMillis,
    long limitTokens,
    long remainingTokens,
    long resetTokensMillis) {

  /** The headers, named and formatted as OpenAI's API sends them (reset as {@code 6m0s}). */
  public Map<String, String> toHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    if (limitRequests >= 0) {
      h.put("x-ratelimit-limit-requests", Long.toString(limitRequests));
      h.put("x-ratelimit-remaining-requests", Long.toString(remainingRequests));
      h.put("x-ratelimit-reset-requests", duration(resetRequestsMillis));
    }
    if (limitTokens >= 0) {
      h.put("x-ratelimit-limit-tokens", Long.toString(limitTokens));
      h.put("x-ratelimit-remaining-tokens", Long.toString(remainingTokens));
      h.put("x-ratelimit-reset-tokens", duration(resetTokensMillis));
    }
    return h;
  }

  /** {@code 250ms}, {@code 17s}, {@code 6m0s}, {@code 3h2m1s}: OpenAI's (Go-style) durations. */
  static String duration(long millis) {
    if (millis < 1000) {
      return Math.max(0, millis) + "ms";
    }
    long s = (millis + 999) / 1000;
    long h = s / 3600;
    long m = s % 3600 / 60;
    long sec = s % 60;
    if (h > 0) {
      return h + "h" + m + "m" + sec + "s";
    }
    return m > 0 ? m + "m" + sec + "s" : sec + "s";
  }
}

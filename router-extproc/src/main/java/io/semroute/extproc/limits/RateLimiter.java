package io.semroute.extproc.limits;

import io.semroute.config.RateLimitRule;
import io.semroute.config.RateLimitSettings;
import io.semroute.extproc.cache.TenantPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Per-tenant budgets of {@code rate_limits:}: every rule that matches a request (tenant, routed
 * model, decision) charges one request to its per-minute request budget and the prompt estimate to
 * its token budgets, all in one atomic step of the {@link CounterStore}; one exhausted budget
 * refuses the request and charges nothing. {@link #settle} later replaces the estimate with the
 * answer's real token count.
 *
 * <p>When the store cannot answer, {@code fail_open} decides and {@link #storeFailures} counts it.
 */
public final class RateLimiter {
  /** The tenant of requests without the tenant header (never a hash, so never a real tenant). */
  public static final String ANONYMOUS = "anonymous";

  private final RateLimitSettings settings;
  private final CounterStore store;
  private final LongSupplier millis;
  private final Map<RateLimitRule, Set<String>> tenantKeys = new HashMap<>();
  private final AtomicLong storeFailures = new AtomicLong();

  /**
   * @param millis the clock windows are counted by (injectable so tests never sleep)
   */
  public RateLimiter(RateLimitSettings settings, CounterStore store, LongSupplier millis) {
    this.settings = settings;
    this.store = store;
    this.millis = millis;
    for (RateLimitRule r : settings.rules()) {
      if (!r.anyTenant()) {
        Set<String> keys = new HashSet<>();
        r.tenants().forEach(id -> keys.add(TenantPartition.of(settings.tenantHeader(), id)));
        tenantKeys.put(r, Set.copyOf(keys));
      }
    }
  }

  public RateLimitSettings settings() {
    return settings;
  }

  /**
   * The tenant key of a request: its tenant header's value hashed like the semantic cache's
   * partition key, or {@link #ANONYMOUS} without the header.
   */
  public String tenantKey(String headerValue) {
    String key = TenantPartition.of(settings.tenantHeader(), headerValue);
    return key == null ? ANONYMOUS : key;
  }

  /**
   * Charges the request to every matching rule's budgets, or refuses it.
   *
   * @param tenantKey from {@link #tenantKey}
   * @param model the routed model
   * @param decision the decision that routed it, or null
   * @param estimatedPromptTokens what the token budgets are charged now
   */
  public RateLimitResult admit(
      String tenantKey, String model, String decision, long estimatedPromptTokens) {
    long now = millis.getAsLong();
    long estimate = Math.max(0, estimatedPromptTokens);
    List<Charge> charges = new ArrayList<>();
    for (RateLimitRule r : settings.rules()) {
      if (!r.appliesTo(model, decision) || !tenantMatches(r, tenantKey)) {
        continue;
      }
      String base = "{" + tenantKey + "}:" + r.name() + ":";
      if (r.requestsPerMinute() > 0) {
        charges.add(Charge.of(r, false, base + "r", Window.MINUTE, r.requestsPerMinute(), 1, now));
      }
      if (r.tokensPerMinute() > 0) {
        charges.add(
            Charge.of(r, true, base + "t", Window.MINUTE, r.tokensPerMinute(), estimate, now));
      }
      if (r.tokensPerDay() > 0) {
        charges.add(Charge.of(r, true, base + "t", Window.DAY, r.tokensPerDay(), estimate, now));
      }
    }
    if (charges.isEmpty()) {
      return RateLimitResult.UNLIMITED;
    }
    CounterStore.Outcome outcome;
    try {
      outcome = store.tryAdd(charges.stream().map(Charge::counter).toList());
    } catch (StoreUnavailableException e) {
      storeFailures.incrementAndGet();
      return settings.failOpen()
          ? new RateLimitResult(true, 0, null, null, Reservation.NONE, true)
          : new RateLimitResult(
              false, 1, RateLimitResult.STORE_UNAVAILABLE, null, Reservation.NONE, true);
    }
    RateLimitHeaders headers = headers(charges, outcome.values());
    if (outcome.added()) {
      List<String> tokenKeys = new ArrayList<>();
      for (Charge c : charges) {
        if (c.tokens()) {
          tokenKeys.add(c.counter().key());
        }
      }
      return new RateLimitResult(
          true, 0, null, headers, new Reservation(tokenKeys, estimate), false);
    }
    long retryAfterMillis = 0;
    String rejectedBy = null;
    for (int i = 0; i < charges.size(); i++) {
      Counter c = charges.get(i).counter();
      if (outcome.values()[i] + c.cost() > c.limit()) {
        retryAfterMillis = Math.max(retryAfterMillis, c.ttlMillis());
        rejectedBy = rejectedBy == null ? charges.get(i).rule() : rejectedBy;
      }
    }
    return new RateLimitResult(
        false, (retryAfterMillis + 999) / 1000, rejectedBy, headers, Reservation.NONE, false);
  }

  /** One budget a request is charged to: its rule, whether it counts tokens, its counter. */
  private record Charge(String rule, boolean tokens, Counter counter) {
    static Charge of(
        RateLimitRule r, boolean tokens, String key, Window w, long limit, long cost, long now) {
      return new Charge(
          r.name(),
          tokens,
          new Counter(key + w.tag + ":" + w.index(now), limit, cost, w.remainingMillis(now)));
    }
  }

  /**
   * Replaces the estimate charged by an admission with the real token count (prompt plus completion
   * from the answer's {@code usage}). A budget whose window has ended meanwhile is left alone.
   */
  public void settle(Reservation reservation, long actualTokens) {
    if (reservation.tokenKeys().isEmpty()) {
      return;
    }
    long delta = Math.max(0, actualTokens) - reservation.estimatedTokens();
    if (delta == 0) {
      return;
    }
    try {
      store.adjust(reservation.tokenKeys(), delta);
    } catch (StoreUnavailableException e) {
      storeFailures.incrementAndGet();
    }
  }

  /** Calls the store could not answer (admissions and settlements), since start. */
  public long storeFailures() {
    return storeFailures.get();
  }

  private boolean tenantMatches(RateLimitRule r, String tenantKey) {
    return r.anyTenant() || tenantKeys.get(r).contains(tenantKey);
  }

  /** The tightest request budget and the tightest token budget, after this admission. */
  private static RateLimitHeaders headers(List<Charge> charges, long[] values) {
    long[] req = {-1, Long.MAX_VALUE, 0};
    long[] tok = {-1, Long.MAX_VALUE, 0};
    for (int i = 0; i < charges.size(); i++) {
      Counter c = charges.get(i).counter();
      long remaining = Math.max(0, c.limit() - values[i]);
      long[] slot = charges.get(i).tokens() ? tok : req;
      // Least left wins; on a tie the longer wait (a day budget over a minute one).
      if (remaining < slot[1] || (remaining == slot[1] && c.ttlMillis() > slot[2])) {
        slot[0] = c.limit();
        slot[1] = remaining;
        slot[2] = c.ttlMillis();
      }
    }
    return new RateLimitHeaders(
        req[0], req[0] < 0 ? -1 : req[1], req[2], tok[0], tok[0] < 0 ? -1 : tok[1], tok[2]);
  }
}

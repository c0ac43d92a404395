package io.semroute.config;

import java.util.Set;

/**
 * One entry of {@code rate_limits.rules}: which requests it counts and their budgets. Each matching
 * tenant has its own budget (a rule is a per-tenant limit, not a pool shared by the listed
 * tenants). A budget of 0 means the rule does not limit that quantity; at least one is set.
 *
 * @param tenants tenant ids (raw header values) the rule applies to; null = any tenant
 * @param models models it applies to; empty = any
 * @param decisions names of decisions it applies to; empty = any (also requests no decision routed)
 * @param requestsPerMinute requests per tenant per calendar minute
 * @param tokensPerMinute prompt plus completion tokens per tenant per calendar minute
 * @param tokensPerDay prompt plus completion tokens per tenant per UTC day
 */
public record RateLimitRule(
    String name,
    Set<String> tenants,
    Set<String> models,
    Set<String> decisions,
    long requestsPerMinute,
    long tokensPerMinute,
    long tokensPerDay) {

  public RateLimitRule {
    tenants = tenants == null ? null : Set.copyOf(tenants);
    models = Set.copyOf(models);
    decisions = Set.copyOf(decisions);
  }

  /** Whether the rule applies to any tenant (no list). */
  public boolean anyTenant() {
    return tenants == null;
  }

  /**
   * Whether the rule counts a request to {@code model} routed by {@code decision} (may be null).
   */
  public boolean appliesTo(String model, String decision) {
    return (models.isEmpty() || models.contains(model))
        && (decisions.isEmpty() || (decision != null && decisions.contains(decision)));
  }
}

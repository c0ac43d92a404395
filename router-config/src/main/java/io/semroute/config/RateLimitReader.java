package io.semroute.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates the {@code rate_limits:} section and {@code models.<name>.limits}
 * (file:line:key errors).
 */
final class RateLimitReader {
  static final Set<String> KEYS =
      RouterConfigReader.orderedSet("tenant_header", "backend", "redis", "fail_open", "rules");
  static final Set<String> RULE_KEYS =
      RouterConfigReader.orderedSet(
          "name", "match", "requests_per_minute", "tokens_per_minute", "tokens_per_day");
  static final Set<String> MATCH_KEYS =
      RouterConfigReader.orderedSet("tenants", "models", "decisions");
  static final Set<String> MODEL_LIMIT_KEYS =
      RouterConfigReader.orderedSet("requests_per_minute", "tokens_per_minute", "max_concurrent");
  static final List<String> BACKENDS = List.of("memory", "redis");

  /** Upper bound of every budget: far above any real fleet, far below overflow when summed. */
  static final long MAX_BUDGET = 1_000_000_000_000L;

  static final int MAX_CONCURRENT = 1_000_000;

  private RateLimitReader() {}

  static RateLimitSettings read(YamlNode n, Set<String> models, Set<String> decisions) {
    RateLimitSettings d = RateLimitSettings.OFF;
    if (!n.isPresent()) {
      return d;
    }
    Map<String, YamlNode> e = n.entries(KEYS);
    YamlNode headerNode = YamlNode.child(e, n, "tenant_header");
    String header = headerNode.string(d.tenantHeader());
    if (!SemanticCacheReader.HEADER.matcher(header).matches()) {
      throw headerNode.error("'" + header + "' is not an HTTP header name");
    }
    RateLimitSettings.Backend backend =
        YamlNode.child(e, n, "backend").choice("memory", BACKENDS).equals("redis")
            ? RateLimitSettings.Backend.REDIS
            : RateLimitSettings.Backend.MEMORY;
    SemanticCacheSettings.RedisSettings redis =
        SemanticCacheReader.redis(
            YamlNode.child(e, n, "redis"),
            RateLimitSettings.DEFAULT_REDIS,
            backend == RateLimitSettings.Backend.REDIS);
    boolean failOpen = YamlNode.child(e, n, "fail_open").bool(true);
    YamlNode rulesNode = YamlNode.child(e, n, "rules");
    List<RateLimitRule> rules = new ArrayList<>();
    UniqueNames names = new UniqueNames("rule");
    for (YamlNode r : rulesNode.items()) {
      rules.add(rule(r, names, models, decisions));
    }
    if (rules.isEmpty()) {
      // A section that limits nothing is almost certainly a mistake (rules indented wrongly).
      throw rulesNode.error(
          "declare at least one rule (name, match, a per-minute or per-day budget)");
    }
    return new RateLimitSettings(
        true, header.toLowerCase(Locale.ROOT), backend, redis, failOpen, rules);
  }

  private static RateLimitRule rule(
      YamlNode r, UniqueNames names, Set<String> models, Set<String> decisions) {
    Map<String, YamlNode> e = r.entries(RULE_KEYS);
    // The match first: its keys are checked before anything else in the rule.
    YamlNode matchNode = YamlNode.child(e, r, "match");
    Set<String> tenants = null;
    Set<String> ruleModels = Set.of();
    Set<String> ruleDecisions = Set.of();
    if (matchNode.isPresent()) {
      Map<String, YamlNode> m = matchNode.entries(MATCH_KEYS);
      tenants = tenants(YamlNode.child(m, matchNode, "tenants"));
      ruleModels =
          names(YamlNode.child(m, matchNode, "models"), models, "model", "declared models");
      ruleDecisions =
          names(
              YamlNode.child(m, matchNode, "decisions"),
              decisions,
              "decision",
              "declared decisions");
    }
    String name = names.take(YamlNode.child(e, r, "name"));
    long rpm = budget(YamlNode.child(e, r, "requests_per_minute"));
    long tpm = budget(YamlNode.child(e, r, "tokens_per_minute"));
    long tpd = budget(YamlNode.child(e, r, "tokens_per_day"));
    if (rpm == 0 && tpm == 0 && tpd == 0) {
      throw r.error(
          "rule '"
              + name
              + "' sets no budget: give it requests_per_minute, tokens_per_minute or"
              + " tokens_per_day");
    }
    return new RateLimitRule(name, tenants, ruleModels, ruleDecisions, rpm, tpm, tpd);
  }

  /** {@code any} (or absent): null; else the listed tenant ids. */
  private static Set<String> tenants(YamlNode n) {
    if (!n.isPresent()) {
      return null;
    }
    if (n.isScalar()) {
      String v = n.requiredString();
      if (!v.equals("any")) {
        throw n.error("expected 'any' or a list of tenant ids, found '" + v + "'");
      }
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (YamlNode item : n.items()) {
      String id = item.requiredString().strip();
      if (!out.add(id)) {
        throw item.error("tenant '" + id + "' is listed twice");
      }
    }
    if (out.isEmpty()) {
      throw n.error("list at least one tenant id, or write 'any'");
    }
    return out;
  }

  private static Set<String> names(YamlNode n, Set<String> known, String what, String knownName) {
    Set<String> out = new LinkedHashSet<>();
    if (!n.isPresent()) {
      return out;
    }
    for (YamlNode item : n.items()) {
      String name = item.requiredString();
      if (!known.contains(name)) {
        throw item.error(
            "unknown "
                + what
                + " '"
                + name
                + "'"
                + Suggestions.validChoices(name, known, knownName));
      }
      if (!out.add(name)) {
        throw item.error(what + " '" + name + "' is listed twice");
      }
    }
    if (out.isEmpty()) {
      throw n.error("list at least one " + what + ", or leave the key out to match any");
    }
    return out;
  }

  private static long budget(YamlNode n) {
    return n.longInteger(0, 1, MAX_BUDGET);
  }

  /** {@code models.<name>.limits}; {@link ModelLimits#NONE} when absent. */
  static ModelLimits modelLimits(YamlNode n) {
    if (!n.isPresent()) {
      return ModelLimits.NONE;
    }
    Map<String, YamlNode> e = n.entries(MODEL_LIMIT_KEYS);
    ModelLimits l =
        new ModelLimits(
            budget(YamlNode.child(e, n, "requests_per_minute")),
            budget(YamlNode.child(e, n, "tokens_per_minute")),
            YamlNode.child(e, n, "max_concurrent").integer(0, 1, MAX_CONCURRENT));
    if (!l.limited()) {
      throw n.error("set at least one of requests_per_minute, tokens_per_minute, max_concurrent");
    }
    return l;
  }
}

package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code rate_limits:} section and {@code models.<name>.limits}: the issue's shape, defaults,
 * and file:line:key errors for bad values.
 */
class RateLimitConfigTest {
  @TempDir Path dir;

  /** Lines 1-12; the section under test starts on line 13. */
  static final String BASE =
      """
      default_model: m
      models:
        m:
        big:
      backends:
        - {name: b, address: "vllm:8000", models: [m, big]}
      decisions:
        - name: cheap
          model: m
        - name: strong
          when: {min_tokens: 100}
          model: big
      """;

  private RouterConfig load(String section) throws Exception {
    Path p = dir.resolve("router.yaml");
    Files.writeString(p, BASE + section, StandardCharsets.UTF_8);
    return ConfigLoader.load(p);
  }

  private String errorOf(String section) {
    return assertThatThrownBy(() -> load(section))
        .isInstanceOf(ConfigException.class)
        .actual()
        .getMessage();
  }

  private String file() {
    return dir.resolve("router.yaml").toString();
  }

  @Test
  void absentSectionsAreOff() throws Exception {
    RouterConfig c = load("");
    assertThat(c.rateLimits()).isEqualTo(RateLimitSettings.OFF);
    assertThat(c.rateLimits().enabled()).isFalse();
    assertThat(c.model("m").orElseThrow().limits()).isEqualTo(ModelLimits.NONE);
    assertThat(ModelLimits.NONE.limited()).isFalse();
  }

  @Test
  void theIssuesShapeReads() throws Exception {
    RateLimitSettings s =
        load("""
        rate_limits:
          tenant_header: X-Team
          backend: redis
          redis: {address: "redis.rl.svc:6380", key_prefix: "semroute:rl:", password_env: PATH}
          fail_open: false
          rules:
            - name: per-tenant
              match: {tenants: any}
              requests_per_minute: 60
              tokens_per_minute: 100000
            - name: vip-big
              match: {tenants: [alice, " bob "], models: [big], decisions: [strong]}
              tokens_per_day: 5_000_000_000
        """)
            .rateLimits();
    assertThat(s)
        .isEqualTo(
            new RateLimitSettings(
                true,
                "x-team",
                RateLimitSettings.Backend.REDIS,
                new SemanticCacheSettings.RedisSettings(
                    "redis.rl.svc", 6380, "semroute:rl:", "PATH"),
                false,
                List.of(
                    new RateLimitRule("per-tenant", null, Set.of(), Set.of(), 60, 100_000, 0),
                    new RateLimitRule(
                        "vip-big",
                        Set.of("alice", "bob"),
                        Set.of("big"),
                        Set.of("strong"),
                        0,
                        0,
                        5_000_000_000L))));
    RateLimitRule vip = s.rules().get(1);
    assertThat(vip.anyTenant()).isFalse();
    assertThat(vip.appliesTo("big", "strong")).isTrue();
    assertThat(vip.appliesTo("big", null)).isFalse();
    assertThat(vip.appliesTo("m", "strong")).isFalse();
    assertThat(s.rules().get(0).appliesTo("m", null)).isTrue();
  }

  @Test
  void documentedDefaults() throws Exception {
    RateLimitSettings s =
        load("""
        rate_limits:
          rules:
            - {name: r, requests_per_minute: 5}
        """)
            .rateLimits();
    assertThat(s.tenantHeader()).isEqualTo("x-user-id");
    assertThat(s.backend()).isEqualTo(RateLimitSettings.Backend.MEMORY);
    assertThat(s.redis()).isEqualTo(RateLimitSettings.DEFAULT_REDIS);
    assertThat(s.redis().keyPrefix()).isEqualTo("semroute:rl:");
    assertThat(s.failOpen()).isTrue();
    assertThat(s.rules())
        .containsExactly(new RateLimitRule("r", null, Set.of(), Set.of(), 5, 0, 0));
  }

  @Test
  void modelLimitsRead() throws Exception {
    assertThat(load("").model("big").orElseThrow().limits()).isEqualTo(ModelLimits.NONE);
    Path p = dir.resolve("limits.yaml");
    Files.writeString(
        p,
        BASE.replace(
            "  big:\n",
            "  big:\n    limits: {requests_per_minute: 10, tokens_per_minute: 2000, max_concurrent: 4}\n"),
        StandardCharsets.UTF_8);
    ModelLimits l = ConfigLoader.load(p).model("big").orElseThrow().limits();
    assertThat(l).isEqualTo(new ModelLimits(10, 2000, 4));
    assertThat(l.limited()).isTrue();
  }

  private String modelLimitsError(String limits) throws Exception {
    Path p = dir.resolve("limits.yaml");
    Files.writeString(p, BASE.replace("  big:\n", "  big:\n    limits: " + limits + "\n"));
    return assertThatThrownBy(() -> ConfigLoader.load(p))
        .isInstanceOf(ConfigException.class)
        .actual()
        .getMessage();
  }

  @Test
  void badModelLimitsNameFileLineAndKey() throws Exception {
    String f = dir.resolve("limits.yaml").toString();
    assertThat(modelLimitsError("{rpm: 3}"))
        .startsWith(f + ":5: models.big.limits.rpm: unknown key 'rpm'")
        .contains("requests_per_minute, tokens_per_minute, max_concurrent");
    assertThat(modelLimitsError("{max_concurrent: 0}"))
        .startsWith(f + ":5: models.big.limits.max_concurrent: must be between 1 and");
    assertThat(modelLimitsError("{tokens_per_minute: lots}"))
        .startsWith(f + ":5: models.big.limits.tokens_per_minute: expected a whole number");
    assertThat(modelLimitsError("{}")).startsWith(f + ":5: models.big.limits: set at least one of");
  }

  @Test
  void badValuesNameFileLineAndKey() {
    String f = file();
    assertThat(errorOf("rate_limits:\n  rules: []\n  fail_closed: true\n"))
        .startsWith(f + ":15: rate_limits.fail_closed: unknown key 'fail_closed'")
        .contains("fail_open");
    assertThat(errorOf("rate_limits:\n  rules: []\n"))
        .startsWith(f + ":14: rate_limits.rules: declare at least one rule");
    assertThat(
            errorOf(
                "rate_limits:\n  backend: memcached\n  rules: [{name: r, requests_per_minute: 1}]\n"))
        .startsWith(f + ":14: rate_limits.backend: invalid value 'memcached'")
        .contains("memory, redis");
    assertThat(
            errorOf(
                "rate_limits:\n  tenant_header: 'x user'\n  rules: [{name: r, requests_per_minute: 1}]\n"))
        .startsWith(f + ":14: rate_limits.tenant_header: 'x user' is not an HTTP header name");
    assertThat(
            errorOf(
                "rate_limits:\n  fail_open: maybe\n  rules: [{name: r, requests_per_minute: 1}]\n"))
        .startsWith(f + ":14: rate_limits.fail_open: expected true or false");
    assertThat(
            errorOf(
                "rate_limits:\n  redis: {address: nowhere}\n  rules: [{name: r, requests_per_minute: 1}]\n"))
        .startsWith(f + ":14: rate_limits.redis.address:")
        .contains("no port");
    assertThat(
            errorOf(
                "rate_limits:\n  redis: {key_prefix: 'a b'}\n  rules: [{name: r, requests_per_minute: 1}]\n"))
        .startsWith(f + ":14: rate_limits.redis.key_prefix:");
    assertThat(
            errorOf(
                "rate_limits:\n  rules:\n    - {name: r, requests_per_minute: 1}\n"
                    + "    - {name: r, tokens_per_minute: 1}\n"))
        .startsWith(
            f
                + ":16: rate_limits.rules[1].name: duplicate rule name 'r' (first defined on line 15)");
    assertThat(errorOf("rate_limits:\n  rules:\n    - {name: r}\n"))
        .startsWith(f + ":15: rate_limits.rules[0]: rule 'r' sets no budget");
    assertThat(errorOf("rate_limits:\n  rules:\n    - {requests_per_minute: 1}\n"))
        .startsWith(f + ":15: rate_limits.rules[0].name: required key is missing");
    assertThat(errorOf("rate_limits:\n  rules:\n    - {name: r, requests_per_minute: 0}\n"))
        .startsWith(f + ":15: rate_limits.rules[0].requests_per_minute: must be between 1 and");
    assertThat(errorOf("rate_limits:\n  rules:\n    - {name: r, tokens_per_day: -5}\n"))
        .startsWith(f + ":15: rate_limits.rules[0].tokens_per_day: must be between 1 and");
    assertThat(errorOf("rate_limits:\n  rules:\n    - {name: r, tokens_per_minute: 1.5}\n"))
        .startsWith(f + ":15: rate_limits.rules[0].tokens_per_minute: expected a whole number");
    assertThat(
            errorOf(
                "rate_limits:\n  rules:\n    - name: r\n      requests_per_minute: 1\n"
                    + "      match: {tenants: all}\n"))
        .startsWith(
            f + ":17: rate_limits.rules[0].match.tenants: expected 'any' or a list of tenant ids");
    assertThat(
            errorOf(
                "rate_limits:\n  rules:\n    - name: r\n      requests_per_minute: 1\n"
                    + "      match: {tenants: [a, a]}\n"))
        .startsWith(f + ":17: rate_limits.rules[0].match.tenants[1]: tenant 'a' is listed twice");
    assertThat(
            errorOf(
                "rate_limits:\n  rules:\n    - name: r\n      requests_per_minute: 1\n"
                    + "      match: {models: [bigg]}\n"))
        .startsWith(f + ":17: rate_limits.rules[0].match.models[0]: unknown model 'bigg'")
        .contains("big");
    assertThat(
            errorOf(
                "rate_limits:\n  rules:\n    - name: r\n      requests_per_minute: 1\n"
                    + "      match: {decisions: [cheapest]}\n"))
        .startsWith(f + ":17: rate_limits.rules[0].match.decisions[0]: unknown decision 'cheapest'")
        .contains("cheap");
    assertThat(
            errorOf(
                "rate_limits:\n  rules:\n    - name: r\n      requests_per_minute: 1\n"
                    + "      match: {tenant: any}\n"))
        .startsWith(f + ":17: rate_limits.rules[0].match.tenant: unknown key 'tenant'")
        .contains("tenants");
    assertThat(
            errorOf(
                "rate_limits:\n  rules:\n    - name: r\n      requests_per_minute: 1\n"
                    + "      match: {models: []}\n"))
        .startsWith(f + ":17: rate_limits.rules[0].match.models: list at least one model");
  }

  @Test
  void aRedisPasswordVariableMustBeSetOnlyWhenRedisIsUsed() throws Exception {
    String unset = "SEMROUTE_TEST_UNSET_VARIABLE_21";
    assertThat(System.getenv(unset)).isNull();
    assertThat(
            errorOf(
                "rate_limits:\n  backend: redis\n  redis: {password_env: "
                    + unset
                    + "}\n  rules: [{name: r, requests_per_minute: 1}]\n"))
        .startsWith(file() + ":15: rate_limits.redis.password_env: environment variable " + unset);
    assertThat(
            load("rate_limits:\n  redis: {password_env: "
                    + unset
                    + "}\n  rules: [{name: r, requests_per_minute: 1}]\n")
                .rateLimits()
                .redis()
                .passwordEnv())
        .isEqualTo(unset);
  }
}

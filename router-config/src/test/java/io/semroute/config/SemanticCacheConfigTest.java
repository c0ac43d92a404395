package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code semantic_cache:} section: defaults, every key, and file:line:key errors. */
class SemanticCacheConfigTest {
  @TempDir Path dir;

  static final String BASE =
      """
      default_model: m
      models:
        m:
      backends:
        - {name: b, address: "vllm:8000", models: [m]}
      """;

  private RouterConfig load(String cacheSection) throws Exception {
    Path p = dir.resolve("router.yaml");
    Files.writeString(p, BASE + cacheSection, StandardCharsets.UTF_8);
    return ConfigLoader.load(p);
  }

  private String errorOf(String cacheSection) {
    return assertThatThrownBy(() -> load(cacheSection))
        .isInstanceOf(ConfigException.class)
        .actual()
        .getMessage();
  }

  @Test
  void absentSectionIsOff() throws Exception {
    assertThat(load("").semanticCache()).isEqualTo(SemanticCacheSettings.OFF);
    assertThat(SemanticCacheSettings.OFF.enabled()).isFalse();
  }

  @Test
  void everyKeyOfTheIssueReads() throws Exception {
    SemanticCacheSettings s =
        load("""
        semantic_cache:
          enabled: true
          backend: redis
          redis: {address: "redis.cache.svc:6380", key_prefix: "vsr:", password_env: PATH}
          tenant_header: X-User-Id
          shared: true
          similarity_threshold: 0.9
          ttl_seconds: 60
          max_entries: 5
          cache_sampled: true
          semantic_tier: true
        """)
            .semanticCache();
    assertThat(s)
        .isEqualTo(
            new SemanticCacheSettings(
                true,
                SemanticCacheSettings.Backend.REDIS,
                new SemanticCacheSettings.RedisSettings("redis.cache.svc", 6380, "vsr:", "PATH"),
                "x-user-id",
                true,
                0.9,
                60,
                5,
                true,
                true));
  }

  @Test
  void documentedDefaults() throws Exception {
    SemanticCacheSettings s =
        load("""
        semantic_cache:
          tenant_header: x-user-id
        """)
            .semanticCache();
    assertThat(s)
        .isEqualTo(
            new SemanticCacheSettings(
                true,
                SemanticCacheSettings.Backend.MEMORY,
                SemanticCacheSettings.RedisSettings.DEFAULTS,
                "x-user-id",
                false,
                0.84,
                3600,
                10_000,
                false,
                false));
  }

  @Test
  void errorsNameFileLineAndKey() {
    String file = dir.resolve("router.yaml").toString();
    assertThat(errorOf("semantic_cache:\n  tenant_header: x-user-id\n  ttl: 5\n"))
        .startsWith(file + ":8: semantic_cache.ttl: unknown key 'ttl'")
        .contains("ttl_seconds");
    assertThat(errorOf("semantic_cache:\n  enabled: true\n"))
        .startsWith(file + ":7: semantic_cache.tenant_header: required")
        .contains("shared: true");
    assertThat(errorOf("semantic_cache:\n  shared: true\n  backend: disk\n"))
        .startsWith(file + ":8: semantic_cache.backend: invalid value 'disk'")
        .contains("memory, redis");
    assertThat(errorOf("semantic_cache:\n  shared: true\n  similarity_threshold: 0.2\n"))
        .startsWith(file + ":8: semantic_cache.similarity_threshold: must be between 0.5 and 1");
    assertThat(errorOf("semantic_cache:\n  shared: true\n  similarity_threshold: 1.5\n"))
        .startsWith(file + ":8: semantic_cache.similarity_threshold:");
    assertThat(errorOf("semantic_cache:\n  shared: true\n  ttl_seconds: 0\n"))
        .startsWith(file + ":8: semantic_cache.ttl_seconds: must be between 1 and");
    assertThat(errorOf("semantic_cache:\n  shared: true\n  max_entries: -3\n"))
        .startsWith(file + ":8: semantic_cache.max_entries: must be between 1 and");
    assertThat(errorOf("semantic_cache:\n  tenant_header: 'x user'\n"))
        .startsWith(file + ":7: semantic_cache.tenant_header: 'x user' is not an HTTP header name");
    assertThat(errorOf("semantic_cache:\n  shared: true\n  semantic_tier: maybe\n"))
        .startsWith(file + ":8: semantic_cache.semantic_tier: expected true or false");
    assertThat(errorOf("semantic_cache:\n  shared: yes please\n"))
        .startsWith(file + ":7: semantic_cache.shared: expected true or false");
    assertThat(errorOf("semantic_cache:\n  shared: true\n  redis: {address: 'redis'}\n"))
        .startsWith(file + ":8: semantic_cache.redis.address:")
        .contains("no port");
    assertThat(errorOf("semantic_cache:\n  shared: true\n  redis: {port: 1}\n"))
        .startsWith(file + ":8: semantic_cache.redis.port: unknown key 'port'");
    assertThat(errorOf("semantic_cache:\n  shared: true\n  redis: {key_prefix: 'a b'}\n"))
        .startsWith(file + ":8: semantic_cache.redis.key_prefix:");
    assertThat(errorOf("semantic_cache:\n  shared: true\n  redis: {password_env: 'no-such'}\n"))
        .startsWith(
            file
                + ":8: semantic_cache.redis.password_env: 'no-such' is not an environment variable name");
  }

  @Test
  void aRedisPasswordVariableMustBeSetWhenRedisIsUsed() throws Exception {
    String unset = "SEMROUTE_TEST_UNSET_VARIABLE_12";
    assertThat(System.getenv(unset)).isNull();
    assertThat(
            errorOf(
                "semantic_cache:\n  shared: true\n  backend: redis\n  redis: {password_env: "
                    + unset
                    + "}\n"))
        .contains(
            "semantic_cache.redis.password_env: environment variable " + unset + " is not set");
    // Not used (memory backend, or cache off): only the name is checked.
    assertThat(
            load("semantic_cache:\n  shared: true\n  redis: {password_env: " + unset + "}\n")
                .semanticCache()
                .redis()
                .passwordEnv())
        .isEqualTo(unset);
    assertThat(
            load("semantic_cache:\n  enabled: false\n  backend: redis\n  redis: {password_env: "
                    + unset
                    + "}\n")
                .semanticCache()
                .enabled())
        .isFalse();
  }

  @Test
  void disabledNeedsNoTenant() throws Exception {
    assertThat(load("semantic_cache:\n  enabled: false\n").semanticCache().enabled()).isFalse();
  }
}

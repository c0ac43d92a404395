package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code resilience:} section: circuit breaker and fallback settings. */
class ResilienceConfigTest {
  @TempDir Path dir;

  /** Lines 1-5; the section starts on line 6. */
  static final String BASE =
      """
      default_model: m
      models:
        m:
      backends:
        - {name: b, address: "vllm:8000", models: [m]}
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

  @Test
  void absentIsOff() throws Exception {
    ResilienceSettings r = load("").resilience();
    assertThat(r).isEqualTo(ResilienceSettings.OFF);
    assertThat(r.circuitBreaker().enabled()).isFalse();
    assertThat(r.fallback().enabled()).isFalse();
  }

  @Test
  void everyKeyReads() throws Exception {
    ResilienceSettings r =
        load("""
        resilience:
          circuit_breaker: {consecutive_failures: 3, window_seconds: 20, cooldown_seconds: 7}
          fallback: {max_attempts: 3, on_explicit_model: true}
        """)
            .resilience();
    assertThat(r)
        .isEqualTo(
            new ResilienceSettings(
                new ResilienceSettings.CircuitBreaker(true, 3, 20, 7),
                new ResilienceSettings.Fallback(true, 3, true)));
  }

  @Test
  void anEmptyBlockSwitchesItOnWithDefaults() throws Exception {
    ResilienceSettings r = load("resilience:\n  circuit_breaker: {}\n").resilience();
    assertThat(r.circuitBreaker())
        .isEqualTo(new ResilienceSettings.CircuitBreaker(true, 5, 60, 30));
    assertThat(r.fallback()).isEqualTo(ResilienceSettings.Fallback.OFF);
    r = load("resilience:\n  fallback: {}\n").resilience();
    assertThat(r.fallback()).isEqualTo(new ResilienceSettings.Fallback(true, 2, false));
    assertThat(r.circuitBreaker().enabled()).isFalse();
  }

  @Test
  void badValuesNameFileLineAndKey() {
    String f = dir.resolve("router.yaml").toString();
    assertThat(errorOf("resilience:\n  breaker: {}\n"))
        .startsWith(f + ":7: resilience.breaker: unknown key 'breaker'")
        .contains("circuit_breaker, fallback");
    assertThat(errorOf("resilience:\n  circuit_breaker: {consecutive_failures: 0}\n"))
        .startsWith(
            f + ":7: resilience.circuit_breaker.consecutive_failures: must be between 1 and 1000");
    assertThat(errorOf("resilience:\n  circuit_breaker: {cooldown_seconds: 90000}\n"))
        .startsWith(
            f + ":7: resilience.circuit_breaker.cooldown_seconds: must be between 1 and 86400");
    assertThat(errorOf("resilience:\n  circuit_breaker: {window_seconds: 1m}\n"))
        .startsWith(f + ":7: resilience.circuit_breaker.window_seconds: expected a whole number");
    assertThat(errorOf("resilience:\n  circuit_breaker: {cooldown: 3}\n"))
        .startsWith(f + ":7: resilience.circuit_breaker.cooldown: unknown key 'cooldown'")
        .contains("cooldown_seconds");
    assertThat(errorOf("resilience:\n  fallback: {max_attempts: 11}\n"))
        .startsWith(f + ":7: resilience.fallback.max_attempts: must be between 1 and 10");
    assertThat(errorOf("resilience:\n  fallback: {on_explicit_model: sometimes}\n"))
        .startsWith(f + ":7: resilience.fallback.on_explicit_model: expected true or false");
    assertThat(errorOf("resilience: [a]\n")).startsWith(f + ":6: resilience: expected a mapping");
  }
}

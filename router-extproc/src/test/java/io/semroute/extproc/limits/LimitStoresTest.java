package io.semroute.extproc.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What survives a config reload: breakers, model limits' in-flight slots, the counter store. */
class LimitStoresTest {
  private static RouterConfig config(String qwenLimits, String resilience) {
    return ConfigLoader.parse(
        """
        default_model: llama-3.1-8b-instruct
        models:
          qwen3-8b: {%s}
          llama-3.1-8b-instruct: {}
        backends:
          - {name: b, address: b:8000, models: [qwen3-8b, llama-3.1-8b-instruct]}
        categories:
          - name: math
            model_scores: [{model: qwen3-8b, score: 1.0}]
        %s
        """
            .formatted(qwenLimits, resilience),
        Path.of("limits.yaml"));
  }

  @Test
  void breakersAndModelLimitsAreKeptWhileTheirSettingsStayTheSame() {
    FakeClock clock = new FakeClock();
    try (LimitStores stores = new LimitStores(clock, BreakerListener.NONE, () -> {})) {
      String breaker =
          "resilience: {circuit_breaker: {consecutive_failures: 1, cooldown_seconds: 30}}";
      FleetLimits first = stores.limitsFor(config("limits: {max_concurrent: 1}", breaker));
      assertThat(first.active()).isTrue();
      first.breakers().record("qwen3-8b", UpstreamResult.ofStatus(503));
      ModelPermit held = first.models().tryAcquire("qwen3-8b", 0);
      assertThat(held).isNotNull();

      FleetLimits reloaded = stores.limitsFor(config("limits: {max_concurrent: 1}", breaker));
      assertThat(reloaded.breakers()).isSameAs(first.breakers());
      assertThat(reloaded.breakers().state("qwen3-8b")).isEqualTo(BreakerState.OPEN);
      assertThat(reloaded.models()).isSameAs(first.models());
      assertThat(reloaded.models().tryAcquire("qwen3-8b", 0)).as("the slot is still held").isNull();

      FleetLimits changed =
          stores.limitsFor(
              config(
                  "limits: {max_concurrent: 2}",
                  "resilience: {circuit_breaker: {consecutive_failures: 3}}"));
      assertThat(changed.breakers()).isNotSameAs(first.breakers());
      assertThat(changed.breakers().state("qwen3-8b")).isEqualTo(BreakerState.CLOSED);
      assertThat(changed.models()).isNotSameAs(first.models());

      FleetLimits off = stores.limitsFor(config("", ""));
      assertThat(off.active()).isFalse();
      assertThat(off.models()).isNull();
      assertThat(off.rateLimiter()).isNull();
    }
  }
}

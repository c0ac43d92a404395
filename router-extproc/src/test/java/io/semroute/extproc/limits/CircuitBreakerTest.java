package io.semroute.extproc.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.semroute.config.ResilienceSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Breaker transitions with a fake clock: open on a run of failures, cool-down, probe, close. */
class CircuitBreakerTest {
  private final FakeClock clock = new FakeClock();
  private final List<String> changes = new ArrayList<>();
  private final CircuitBreakers breakers =
      new CircuitBreakers(
          new ResilienceSettings.CircuitBreaker(true, 3, 10, 30),
          clock,
          (model, from, to, reason) ->
              changes.add(model + " " + from.label() + "->" + to.label() + ": " + reason));

  private void fail(int times, int status) {
    for (int i = 0; i < times; i++) {
      breakers.record("m", UpstreamResult.ofStatus(status));
    }
  }

  @Test
  void classifiesUpstreamAnswers() {
    assertThat(UpstreamResult.ofStatus(503).failure()).isTrue();
    assertThat(UpstreamResult.ofStatus(500).failure()).isTrue();
    assertThat(UpstreamResult.ofStatus(429).failure()).isTrue();
    assertThat(UpstreamResult.RESET.failure()).isTrue();
    assertThat(UpstreamResult.ofStatus(200).failure()).isFalse();
    assertThat(UpstreamResult.ofStatus(200).counts()).isTrue();
    assertThat(UpstreamResult.ofStatus(400).counts()).isFalse();
    assertThat(UpstreamResult.ofStatus(404).counts()).isFalse();
  }

  @Test
  void opensAfterConsecutiveFailuresThenProbesAfterTheCooldownAndClosesOnSuccess() {
    fail(2, 503);
    assertThat(breakers.state("m")).isEqualTo(BreakerState.CLOSED);
    assertThat(breakers.available("m")).isTrue();
    clock.advanceSeconds(2);
    breakers.record("m", UpstreamResult.RESET);
    assertThat(breakers.state("m")).isEqualTo(BreakerState.OPEN);
    assertThat(changes)
        .containsExactly("m closed->open: 3 consecutive failures in 2 s, last: reset");
    assertThat(breakers.available("m")).isFalse();
    assertThat(breakers.tryAcquire("m")).isFalse();
    BreakerSnapshot open = breakers.snapshot().get(0);
    assertThat(open.state()).isEqualTo(BreakerState.OPEN);
    assertThat(open.openedAtMillis()).isEqualTo(FakeClock.START + 2_000);
    assertThat(open.probeAtMillis()).isEqualTo(FakeClock.START + 32_000);

    clock.advanceSeconds(29);
    assertThat(breakers.tryAcquire("m")).isFalse();
    clock.advanceSeconds(1);
    assertThat(breakers.available("m")).isTrue();
    assertThat(breakers.state("m")).isEqualTo(BreakerState.OPEN); // available() takes no probe
    assertThat(breakers.tryAcquire("m")).isTrue(); // the probe
    assertThat(breakers.state("m")).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(breakers.tryAcquire("m")).isFalse(); // one probe at a time
    assertThat(breakers.available("m")).isFalse();
    breakers.record("m", UpstreamResult.ofStatus(200));
    assertThat(breakers.state("m")).isEqualTo(BreakerState.CLOSED);
    assertThat(breakers.tryAcquire("m")).isTrue();
    assertThat(changes)
        .containsExactly(
            "m closed->open: 3 consecutive failures in 2 s, last: reset",
            "m open->half_open: cool-down of 30 s over, probing",
            "m half_open->closed: probe succeeded (200)");
    assertThat(breakers.snapshot().get(0))
        .isEqualTo(new BreakerSnapshot("m", BreakerState.CLOSED, 0, FakeClock.START + 2_000, 0));
  }

  @Test
  void aFailedProbeOpensItAgainForAnotherCooldown() {
    fail(3, 502);
    clock.advanceSeconds(30);
    assertThat(breakers.tryAcquire("m")).isTrue();
    breakers.record("m", UpstreamResult.ofStatus(429));
    assertThat(breakers.state("m")).isEqualTo(BreakerState.OPEN);
    assertThat(changes.get(2)).isEqualTo("m half_open->open: probe failed (429)");
    clock.advanceSeconds(29);
    assertThat(breakers.tryAcquire("m")).isFalse();
    clock.advanceSeconds(1);
    assertThat(breakers.tryAcquire("m")).isTrue();
  }

  @Test
  void aLostProbeIsReplacedAfterAnotherCooldown() {
    fail(3, 503);
    clock.advanceSeconds(30);
    assertThat(breakers.tryAcquire("m")).isTrue(); // its answer never comes
    clock.advanceSeconds(29);
    assertThat(breakers.tryAcquire("m")).isFalse();
    clock.advanceSeconds(1);
    assertThat(breakers.tryAcquire("m")).isTrue();
    assertThat(breakers.state("m")).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(changes).hasSize(2); // a replaced probe is no state change
  }

  @Test
  void aSuccessOrTheWindowEndsTheRun() {
    fail(2, 503);
    breakers.record("m", UpstreamResult.ofStatus(200));
    fail(2, 503);
    assertThat(breakers.state("m")).isEqualTo(BreakerState.CLOSED);
    // Client errors neither break nor extend the run.
    breakers.record("m", UpstreamResult.ofStatus(400));
    assertThat(breakers.snapshot().get(0).consecutiveFailures()).isEqualTo(2);
    // The run started over 10 s ago: this failure starts a new run.
    clock.advanceSeconds(11);
    fail(1, 503);
    assertThat(breakers.snapshot().get(0).consecutiveFailures()).isEqualTo(1);
    assertThat(breakers.state("m")).isEqualTo(BreakerState.CLOSED);
    fail(2, 503);
    assertThat(breakers.state("m")).isEqualTo(BreakerState.OPEN);
    // Late answers while open change nothing.
    breakers.record("m", UpstreamResult.ofStatus(200));
    assertThat(breakers.state("m")).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void modelsHaveTheirOwnBreakers() {
    fail(3, 503);
    assertThat(breakers.available("other")).isTrue();
    breakers.record("other", UpstreamResult.ofStatus(200));
    assertThat(breakers.snapshot())
        .extracting(BreakerSnapshot::model, BreakerSnapshot::state)
        .containsExactly(tuple("m", BreakerState.OPEN), tuple("other", BreakerState.CLOSED));
  }

  @Test
  void offMeansAlwaysAvailableAndNothingCounted() {
    CircuitBreakers off =
        new CircuitBreakers(ResilienceSettings.CircuitBreaker.OFF, clock, BreakerListener.NONE);
    for (int i = 0; i < 100; i++) {
      off.record("m", UpstreamResult.ofStatus(503));
    }
    assertThat(off.enabled()).isFalse();
    assertThat(off.available("m")).isTrue();
    assertThat(off.tryAcquire("m")).isTrue();
    assertThat(off.snapshot()).isEmpty();
  }
}

package io.semroute.extproc.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.ModelLimits;
import io.semroute.config.ModelSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model limits: "is it at its limit?", requests and tokens per minute, max_concurrent. */
class ModelLimiterTest {
  private final FakeClock clock = new FakeClock();
  private final MemoryCounterStore store = new MemoryCounterStore(clock);

  private ModelLimiter limiter(ModelLimits big) {
    Map<String, ModelSpec> models = new LinkedHashMap<>();
    models.put("big", new ModelSpec("big", null, "medium", null, null, big));
    models.put("small", new ModelSpec("small", null, "medium", null));
    return new ModelLimiter(models, store, clock);
  }

  @Test
  void unlimitedModelsAreNeverAtTheirLimit() {
    ModelLimiter ml = limiter(new ModelLimits(1, 0, 0));
    for (int i = 0; i < 10; i++) {
      ModelPermit p = ml.tryAcquire("small", 1000);
      assertThat(p).isNotNull();
      ml.release(p);
    }
    assertThat(ml.atLimit("small")).isFalse();
    assertThat(ml.atLimit("unknown")).isFalse();
    assertThat(store.size()).isZero();
  }

  @Test
  void requestsPerMinute() {
    ModelLimiter ml = limiter(new ModelLimits(2, 0, 0));
    assertThat(ml.atLimit("big")).isFalse();
    assertThat(ml.tryAcquire("big", 10)).isNotNull();
    assertThat(ml.tryAcquire("big", 10)).isNotNull();
    assertThat(ml.atLimit("big")).isTrue();
    assertThat(ml.tryAcquire("big", 10)).isNull();
    clock.advanceSeconds(59);
    assertThat(ml.atLimit("big")).isFalse();
  }

  @Test
  void tokensPerMinuteSettleFromTheAnswer() {
    ModelLimiter ml = limiter(new ModelLimits(0, 1000, 0));
    ModelPermit p = ml.tryAcquire("big", 100);
    assertThat(ml.atLimit("big")).isFalse();
    ml.settle(p, 1000); // the answer was long: the minute's budget is spent
    assertThat(ml.atLimit("big")).isTrue();
    assertThat(ml.tryAcquire("big", 1)).isNull();
    clock.advanceSeconds(60);
    ModelPermit q = ml.tryAcquire("big", 900);
    assertThat(q).isNotNull();
    ml.settle(q, 300); // shorter than estimated: 600 given back
    assertThat(store.values(List.of("{model:big}:tm:" + Window.MINUTE.index(clock.getAsLong()))))
        .containsExactly(300);
    assertThat(ml.tryAcquire("big", 700)).isNotNull();
  }

  @Test
  void maxConcurrentIsReleasedOnceAndARefusalTakesNoSlot() {
    ModelLimiter ml = limiter(new ModelLimits(3, 0, 2));
    ModelPermit a = ml.tryAcquire("big", 1);
    ModelPermit b = ml.tryAcquire("big", 1);
    assertThat(ml.inFlight("big")).isEqualTo(2);
    assertThat(ml.atLimit("big")).isTrue();
    assertThat(ml.tryAcquire("big", 1)).isNull();
    ml.release(a);
    ml.release(a); // twice: still one slot back
    assertThat(ml.inFlight("big")).isEqualTo(1);
    ModelPermit c = ml.tryAcquire("big", 1);
    assertThat(c).isNotNull();
    ml.release(b);
    ml.release(c);
    // The per-minute budget (3) is spent: refused, and the refusal gave its slot back.
    assertThat(ml.tryAcquire("big", 1)).isNull();
    assertThat(ml.inFlight("big")).isZero();
  }
}

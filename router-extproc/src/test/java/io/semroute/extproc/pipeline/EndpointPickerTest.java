package io.semroute.extproc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.Backend;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class EndpointPickerTest {
  /** Hands out 0, 1, 2, ... (mod bound): every ticket exactly once per round. */
  private static final class Sequence implements RandomGenerator {
    private long next;

    @Override
    public long nextLong() {
      return next++;
    }

    @Override
    public long nextLong(long bound) {
      return next++ % bound;
    }
  }

  @Test
  void picksBackendsInProportionToTheirWeight() {
    RouterConfig base = TestConfigs.sample();
    RouterConfig cfg =
        new RouterConfig(
            null,
            base.listeners(),
            List.of(
                new Backend("a", "qwen-a.svc", 8000, List.of(TestConfigs.QWEN), 3),
                new Backend("b", "qwen-b.svc", 8000, List.of(TestConfigs.QWEN), 1),
                new Backend("c", "llama.svc", 8000, List.of(TestConfigs.LLAMA), 5)),
            base.models(),
            base.reasoningFamilies(),
            base.categories(),
            base.defaultModel(),
            base.autoModelNames(),
            base.routing(),
            base.classifier());
    Sequence seq = new Sequence();
    EndpointPicker picker = new EndpointPicker(() -> seq);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      counts.merge(picker.pick(cfg, TestConfigs.QWEN).orElseThrow().address(), 1, Integer::sum);
    }
    assertThat(counts)
        .containsExactlyInAnyOrderEntriesOf(Map.of("qwen-a.svc:8000", 300, "qwen-b.svc:8000", 100));
    assertThat(picker.pick(cfg, "unknown")).isEmpty();
  }
}

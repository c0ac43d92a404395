package io.semroute.extproc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RouterSnapshotsTest {
  @Test
  void aNewConfigFromTheSupplierSwapsTheSnapshot() {
    RouterConfig first = TestConfigs.sample();
    AtomicReference<RouterConfig> current = new AtomicReference<>(first);
    RouterSnapshots snapshots = RouterSnapshots.keywordOnly(current::get);
    RouterSnapshot before = snapshots.current();
    assertThat(snapshots.current()).isSameAs(before);
    RouterConfig second =
        new RouterConfig(
            first.source(),
            first.listeners(),
            first.backends(),
            first.models(),
            first.reasoningFamilies(),
            first.categories(),
            TestConfigs.QWEN,
            first.autoModelNames(),
            first.routing(),
            first.classifier());
    current.set(second);
    RouterSnapshot after = snapshots.current();
    assertThat(after).isNotSameAs(before);
    assertThat(after.config()).isSameAs(second);
    assertThat(after.decision().decide(List.of("hello")).model()).isEqualTo(TestConfigs.QWEN);
    assertThat(before.decision().decide(List.of("hello")).model())
        .as("old snapshot unchanged")
        .isEqualTo(TestConfigs.LLAMA);
  }
}

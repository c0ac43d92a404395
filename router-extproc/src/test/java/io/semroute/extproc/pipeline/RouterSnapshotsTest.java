package io.semroute.extproc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterSnapshotsTest {
  @Test
  void aSwapServesTheNewSnapshotAndLeavesTheOldOneUnchanged() {
    RouterConfig first = TestConfigs.sample();
    RouterSnapshots snapshots = RouterSnapshots.keywordOnly(first);
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
    snapshots.swap(RouterSnapshot.keywordOnly(second));
    RouterSnapshot after = snapshots.current();
    assertThat(after).isNotSameAs(before);
    assertThat(after.config()).isSameAs(second);
    assertThat(after.decision().decide(List.of("hello")).model()).isEqualTo(TestConfigs.QWEN);
    assertThat(before.decision().decide(List.of("hello")).model())
        .as("old snapshot unchanged")
        .isEqualTo(TestConfigs.LLAMA);
  }

  @Test
  void anEmptyHolderHasNoSnapshotUntilTheFirstSwap() {
    RouterSnapshots snapshots = RouterSnapshots.empty();
    assertThat(snapshots.current()).isNull();
    RouterSnapshot first = RouterSnapshot.keywordOnly(TestConfigs.sample());
    snapshots.swap(first);
    assertThat(snapshots.current()).isSameAs(first);
  }
}

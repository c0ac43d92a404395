package io.semroute.extproc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.semroute.config.BlockResponse;
import io.semroute.config.ClassifierSettings;
import io.semroute.config.ConfigException;
import io.semroute.config.ConfigLocation;
import io.semroute.config.GuardAction;
import io.semroute.config.JailbreakGuardSettings;
import io.semroute.config.ModelPath;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.cache.CacheStores;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierKey;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.pipeline.RouterSnapshot;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.testkit.Fixtures;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a reload does to the running router, on a real classifier (the shipped jailbreak model): a
 * config that cannot be built changes nothing; one that can is swapped in and the classifiers it no
 * longer names are closed.
 */
class ConfigReloadTest {

  private static RouterConfig withJailbreakModel(Path model) {
    RouterConfig base = TestConfigs.sample();
    ClassifierSettings c = base.classifier();
    return base.withClassifier(
        new ClassifierSettings(
            c.device(),
            c.categoryThreshold(),
            c.categoryModel(),
            c.maxTokens(),
            c.examplesThreshold(),
            new JailbreakGuardSettings(
                true,
                new ModelPath(model, new ConfigLocation(null, 0, "classifier.jailbreak.model")),
                0.5,
                GuardAction.BLOCK,
                true,
                BlockResponse.ERROR),
            c.pii(),
            c.catchAllCategory()));
  }

  @Test
  void aBrokenConfigChangesNothingAndAGoodOneIsSwappedInWithUnusedClassifiersClosed() {
    try (ClassifierCache classifiers = new ClassifierCache(ClassifierOpener.withDefaultBatching());
        CacheStores cacheStores = new CacheStores()) {
      RouterMetrics metrics = new RouterMetrics();
      SnapshotBuilder builder = new SnapshotBuilder(classifiers, cacheStores, metrics);
      RouterConfig guarded = withJailbreakModel(Fixtures.repo().resolve("models/jailbreak"));
      RouterSnapshots snapshots = RouterSnapshots.of(builder.apply(guarded));
      ConfigReload reload =
          new ConfigReload(
              guarded.listeners(), builder, snapshots, classifiers, cacheStores, metrics);
      RouterSnapshot before = snapshots.current();
      Set<ClassifierKey> open = classifiers.keys();
      assertThat(open).hasSize(1);

      RouterConfig broken = withJailbreakModel(Fixtures.repo().resolve("models/no-such-model"));
      assertThatThrownBy(() -> reload.accept(broken))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("classifier.jailbreak.model")
          .hasMessageContaining("cannot load the model");
      assertThat(snapshots.current()).as("refused: the old snapshot serves").isSameAs(before);
      assertThat(classifiers.keys()).as("refused: the old classifiers stay").isEqualTo(open);

      RouterConfig unguarded = TestConfigs.sample();
      reload.accept(unguarded);
      assertThat(snapshots.current().config()).isSameAs(unguarded);
      assertThat(snapshots.current().guards().jailbreak()).isNull();
      assertThat(classifiers.keys()).as("the jailbreak model is no longer named").isEmpty();
      assertThat(metrics.scrape()).contains("llm_config_reloads_total{result=\"success\"} 1");

      reload.accept(guarded);
      assertThat(classifiers.keys()).isEqualTo(open);
      assertThat(classifiers.openCount()).as("opened again after it was closed").isEqualTo(2);
    }
  }
}

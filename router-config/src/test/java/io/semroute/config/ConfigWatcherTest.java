package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Real files, real WatchService: edits, a Kubernetes-style {@code ..data} symlink swap, and a
 * broken file that must leave the old config in force. Waits are generous upper bounds for an event
 * to arrive on a loaded machine, not speed assertions.
 */
class ConfigWatcherTest {
  private static final long WAIT_SECONDS = 30;

  @TempDir Path dir;
  private final BlockingQueue<RouterConfig> reloads = new LinkedBlockingQueue<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger watcherLog = (Logger) LoggerFactory.getLogger(ConfigWatcher.class);

  @BeforeEach
  void captureLogs() {
    logs.start();
    watcherLog.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    watcherLog.detachAppender(logs);
  }

  static String configWithDefault(String defaultModel) {
    return """
        models: {small: , big: }
        backends: [{name: b, address: 'vllm:8000', models: [small, big]}]
        default_model: %s
        """
        .formatted(defaultModel);
  }

  /** Writes to a temp name and renames over, the way editors and config tools do. */
  private static void replace(Path file, String content) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private RouterConfig nextReload() throws InterruptedException {
    RouterConfig c = reloads.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(c).as("a reload within %d s", WAIT_SECONDS).isNotNull();
    return c;
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private List<String> warnings() {
    return logs.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void inPlaceEditAndRenameOverBothReload() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, configWithDefault("small"));
    RouterConfig initial = ConfigLoader.load(file);
    try (ConfigWatcher w =
        ConfigWatcher.start(file, initial, reloads::add, Duration.ofMillis(100), Duration.ZERO)) {
      Files.writeString(file, configWithDefault("big")); // truncate + write in place
      RouterConfig next = nextReload();
      assertThat(next.defaultModel()).isEqualTo("big");
      assertThat(w.current()).isSameAs(next);

      replace(file, configWithDefault("small"));
      assertThat(nextReload().defaultModel()).isEqualTo("small");
      assertThat(w.current().defaultModel()).isEqualTo("small");
    }
  }

  @Test
  void kubernetesConfigMapSymlinkSwap() throws Exception {
    // The layout kubelet's atomic writer produces for a ConfigMap volume.
    Path v1 = Files.createDirectories(dir.resolve("..2026_11_24_06_00_00.000000001"));
    Files.writeString(v1.resolve("config.yaml"), configWithDefault("small"));
    Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
    Path file = dir.resolve("config.yaml");
    Files.createSymbolicLink(file, Path.of("..data/config.yaml"));

    RouterConfig initial = ConfigLoader.load(file);
    assertThat(initial.defaultModel()).isEqualTo("small");
    try (ConfigWatcher w =
        ConfigWatcher.start(file, initial, reloads::add, Duration.ofMillis(100), Duration.ZERO)) {
      Path v2 = Files.createDirectories(dir.resolve("..2026_11_24_06_05_00.000000002"));
      Files.writeString(v2.resolve("config.yaml"), configWithDefault("big"));
      Path tmpLink = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
      Files.move(
          tmpLink,
          dir.resolve("..data"),
          StandardCopyOption.ATOMIC_MOVE); // rename(2) over the old link
      Files.delete(v1.resolve("config.yaml"));
      Files.delete(v1);

      RouterConfig next = nextReload();
      assertThat(next.defaultModel()).isEqualTo("big");
      assertThat(w.current().defaultModel()).isEqualTo("big");
      assertThat(next.source()).isEqualTo(file.toAbsolutePath());
    }
  }

  @Test
  void brokenFileKeepsTheOldConfigAndSaysWhy() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, configWithDefault("small"));
    RouterConfig initial = ConfigLoader.load(file);
    try (ConfigWatcher w =
        ConfigWatcher.start(file, initial, reloads::add, Duration.ofMillis(100), Duration.ZERO)) {
      replace(file, configWithDefault("missing-model"));
      await(() -> !warnings().isEmpty(), "a WARN for the broken file");
      assertThat(warnings().get(0))
          .startsWith("config reload failed, keeping the previous config: ")
          .contains(
              file.toAbsolutePath()
                  + ":3: default_model: unknown model 'missing-model'; declared models: small, big");
      assertThat(w.current()).isSameAs(initial);
      assertThat(reloads).isEmpty();

      replace(file, "models: [oops\n");
      await(() -> warnings().size() >= 2, "a WARN for the YAML syntax error");
      assertThat(warnings().get(1)).contains("YAML syntax error");
      assertThat(w.current()).isSameAs(initial);

      replace(file, configWithDefault("big")); // fixed: now it loads
      assertThat(nextReload().defaultModel()).isEqualTo("big");
      assertThat(w.current().defaultModel()).isEqualTo("big");
      assertThat(reloads).isEmpty();
    }
  }

  @Test
  void pollingFallbackWorksWithoutEvents() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, configWithDefault("small"));
    RouterConfig initial = ConfigLoader.load(file);
    try (ConfigWatcher w =
        ConfigWatcher.startPollingOnly(file, initial, reloads::add, Duration.ofMillis(100))) {
      Files.writeString(file, configWithDefault("big"));
      assertThat(nextReload().defaultModel()).isEqualTo("big");
      // Unchanged bytes are not reloaded again on later polls.
      Thread.sleep(500);
      assertThat(reloads).isEmpty();
      assertThat(w.current().defaultModel()).isEqualTo("big");
    }
  }

  @Test
  void failingListenerDoesNotStopWatching() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, configWithDefault("small"));
    RouterConfig initial = ConfigLoader.load(file);
    try (ConfigWatcher w =
        ConfigWatcher.start(
            file,
            initial,
            c -> {
              reloads.add(c);
              throw new IllegalStateException("listener bug");
            },
            Duration.ofMillis(100),
            Duration.ZERO)) {
      replace(file, configWithDefault("big"));
      assertThat(nextReload().defaultModel()).isEqualTo("big");
      replace(file, configWithDefault("small"));
      assertThat(nextReload().defaultModel()).isEqualTo("small");
    }
  }
}

package io.semroute.config;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link RouterConfig} in step with its file.
 *
 * <p>Why the directory and not the file: editors save by writing a new file and renaming it over
 * the old one, and Kubernetes ConfigMap mounts expose {@code config.yaml -> ..data/config.yaml}
 * with {@code ..data -> ..2024_01_01_00_00_00.123/}; an update swaps the {@code ..data} symlink
 * atomically and the file itself is never "modified". So we watch the directory the path is in and
 * the directory its symlink chain really ends in, and on any event there we re-read the path.
 * Events are debounced (editors and the ConfigMap writer make several in a burst), and a slow poll
 * backs up the WatchService on file systems that deliver no events (NFS, some container volume
 * drivers).
 *
 * <p>A reload happens only when the bytes changed. A new file that fails validation is refused: the
 * previous config stays current and a WARN carries the {@link ConfigException} message (file:line:
 * key: problem). The same broken content is reported once, not on every poll.
 */
public final class ConfigWatcher implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(300);
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);

  private final Path file;
  private final AtomicReference<RouterConfig> current;
  private final Consumer<RouterConfig> onReload;
  private final Consumer<RouterConfig> apply;
  private final Duration debounce;
  private final ScheduledExecutorService scheduler;
  private final WatchService watchService;
  private final Map<WatchKey, Path> watchedDirs = new HashMap<>();
  private final Thread eventThread;
  private ScheduledFuture<?> pendingReload; // guarded by this
  private byte[] lastSeenDigest; // only touched on the scheduler thread
  private volatile boolean closed;
  private volatile Consumer<ConfigException> onFailure = e -> {};

  private ConfigWatcher(
      Path file,
      RouterConfig initial,
      Consumer<RouterConfig> apply,
      Consumer<RouterConfig> onReload,
      Duration debounce,
      Duration poll,
      boolean useWatchService)
      throws IOException {
    this.apply = apply == null ? c -> {} : apply;
    this.file = file.toAbsolutePath().normalize();
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    this.onReload = onReload == null ? c -> {} : onReload;
    this.debounce = debounce;
    this.lastSeenDigest = digestOrNull(this.file);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "config-reload");
              t.setDaemon(true);
              return t;
            });
    if (useWatchService) {
      this.watchService = FileSystems.getDefault().newWatchService();
      registerDirectories();
      this.eventThread = new Thread(this::eventLoop, "config-watch");
      this.eventThread.setDaemon(true);
      this.eventThread.start();
    } else {
      this.watchService = null;
      this.eventThread = null;
    }
    if (!poll.isZero()) {
      scheduler.scheduleWithFixedDelay(
          this::reloadIfChanged, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Starts watching {@code file} (assumed to be what {@code initial} was loaded from). {@code
   * onReload} is called on the watcher's thread after each successful reload, with the new config
   * already {@link #current()}.
   */
  public static ConfigWatcher start(
      Path file, RouterConfig initial, Consumer<RouterConfig> onReload) throws IOException {
    return start(file, initial, onReload, DEFAULT_DEBOUNCE, DEFAULT_POLL);
  }

  /**
   * Starts watching {@code file} and hands each parsed new config to {@code apply} <em>before</em>
   * it becomes {@link #current()}: {@code apply} puts the config in force (e.g. opens its models
   * and swaps them in) and may refuse it by throwing a {@link ConfigException} (a model whose
   * labels do not match the categories), which is then handled like a syntax error: the previous
   * config stays in force and {@link #onFailure} is told.
   */
  public static ConfigWatcher startApplying(
      Path file, RouterConfig initial, Consumer<RouterConfig> apply) throws IOException {
    return new ConfigWatcher(file, initial, apply, null, DEFAULT_DEBOUNCE, DEFAULT_POLL, true);
  }

  /** As {@link #start(Path, RouterConfig, Consumer)}; {@code poll} of zero disables polling. */
  public static ConfigWatcher start(
      Path file,
      RouterConfig initial,
      Consumer<RouterConfig> onReload,
      Duration debounce,
      Duration poll)
      throws IOException {
    return new ConfigWatcher(file, initial, null, onReload, debounce, poll, true);
  }

  /** Polling only, for file systems without change events (and to test the fallback). */
  static ConfigWatcher startPollingOnly(
      Path file, RouterConfig initial, Consumer<RouterConfig> onReload, Duration poll)
      throws IOException {
    return new ConfigWatcher(file, initial, null, onReload, Duration.ZERO, poll, false);
  }

  /** The config in force: the initial one, or the last file that loaded cleanly. */
  public RouterConfig current() {
    return current.get();
  }

  public Path file() {
    return file;
  }

  // ---- events ---------------------------------------------------------------------------

  private void eventLoop() {
    while (!closed) {
      WatchKey key;
      try {
        key = watchService.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      // We do not care which entry changed: the symlink chain may route any of them to us.
      key.pollEvents();
      synchronized (watchedDirs) {
        if (!key.reset()) {
          watchedDirs.remove(key); // directory gone, e.g. an old ConfigMap timestamp dir
        }
      }
      scheduleReload();
    }
  }

  private synchronized void scheduleReload() {
    if (closed) {
      return;
    }
    if (pendingReload != null) {
      pendingReload.cancel(false);
    }
    pendingReload =
        scheduler.schedule(this::reloadIfChanged, debounce.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Watches the file's own directory and the directory its symlinks resolve to (if different). */
  private void registerDirectories() {
    if (watchService == null) {
      return;
    }
    register(file.getParent());
    try {
      register(file.toRealPath().getParent());
    } catch (IOException e) {
      // File missing right now (mid-swap); the parent directory watch will tell us when it is back.
    }
  }

  private void register(Path dir) {
    synchronized (watchedDirs) {
      if (dir == null || watchedDirs.containsValue(dir)) {
        return;
      }
      try {
        WatchKey key = dir.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
        watchedDirs.put(key, dir);
      } catch (IOException | ClosedWatchServiceException e) {
        log.debug("cannot watch {}: {}", dir, e.toString());
      }
    }
  }

  /** Told about each refused reload (once per broken content), e.g. to count it. */
  public void onFailure(Consumer<ConfigException> listener) {
    this.onFailure = Objects.requireNonNull(listener, "listener");
  }

  // ---- reloading ------------------------------------------------------------------------

  /** Runs on the scheduler thread only, so reloads never overlap. */
  private void reloadIfChanged() {
    if (closed) {
      return;
    }
    try {
      registerDirectories(); // the symlink target may have moved to a new directory
      byte[] bytes;
      try {
        bytes = ConfigLoader.readBytes(file);
      } catch (ConfigException e) {
        if (lastSeenDigest != null) {
          lastSeenDigest = null;
          log.warn("config reload failed, keeping the previous config: {}", e.getMessage());
          onFailure.accept(e);
        }
        return;
      }
      byte[] digest = sha256(bytes);
      if (Arrays.equals(digest, lastSeenDigest)) {
        return;
      }
      lastSeenDigest = digest;
      RouterConfig next;
      try {
        next = ConfigLoader.parse(ConfigLoader.decode(file, bytes), file);
        apply.accept(next);
      } catch (ConfigException e) {
        log.warn("config reload failed, keeping the previous config: {}", e.getMessage());
        onFailure.accept(e);
        return;
      }
      current.set(next);
      log.info(
          "config reloaded from {}: {} models, {} backends, {} categories",
          file,
          next.models().size(),
          next.backends().size(),
          next.categories().size());
      onReload.accept(next);
    } catch (RuntimeException e) {
      // A failing listener must not kill the watcher.
      log.error("config reload failed unexpectedly (listener or I/O); watching continues", e);
    }
  }

  private static byte[] digestOrNull(Path file) {
    try {
      return sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    synchronized (this) {
      if (pendingReload != null) {
        pendingReload.cancel(false);
      }
    }
    scheduler.shutdownNow();
    if (watchService != null) {
      watchService.close();
    }
    if (eventThread != null) {
      eventThread.interrupt();
    }
  }
}

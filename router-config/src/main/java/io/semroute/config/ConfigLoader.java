package io.semroute.config;

import java.nio.file.Path;

/** Placeholder: YAML → validated {@link RouterConfig} (issue 2, router-config). */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static RouterConfig load(Path file) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}

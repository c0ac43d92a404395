package io.semroute.tools;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/data for tests; fails loudly rather than skipping when it is missing. */
public final class SharedData {
  private SharedData() {}

  public static Path file(String relative) {
    String dir = System.getProperty("shared.dir");
    if (dir == null) {
      throw new IllegalStateException("system property shared.dir is not set (surefire sets it from the parent pom)");
    }
    Path p = Path.of(dir, "data", relative);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("missing shared data file " + p + " (expected ../shared beside the checkout)");
    }
    return p;
  }
}

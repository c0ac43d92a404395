package io.semroute.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** External tools the deployment tests run (kubectl, promtool), found on PATH. */
final class Binaries {
  record Result(int exit, String output) {}

  private Binaries() {}

  /** Skips the calling test, saying why, when {@code name} is not on PATH. */
  static void assumeOnPath(String name, String debianPackage) {
    assumeTrue(
        onPath(name),
        name
            + " is not installed, so this check is skipped (Debian: apt-get install "
            + debianPackage
            + "; .ci/run installs it)");
  }

  static boolean onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code command} in {@code dir}; stdout and stderr together. */
  static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }
}

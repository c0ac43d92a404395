package io.semroute.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The one place tests find their files:
 *
 * <ul>
 *   <li>{@link #golden} — the small golden checkpoints and expected outputs, shipped inside this
 *       module (copied from {@code ../shared/golden}), so golden tests run on a clone alone;
 *   <li>{@link #repo} — files of the checkout ({@code config.yaml}, {@code models/}, {@code
 *       deploy/});
 *   <li>{@link #sharedData} — the large labelled corpora in {@code ../shared/data}, which only
 *       {@link QualityTest}s read (the {@code quality} Maven profile).
 * </ul>
 */
public final class Fixtures {
  private static final String GOLDEN = "golden";
  private static Path extractedGolden;

  private Fixtures() {}

  /** A folder (or file) under the golden fixtures, e.g. {@code golden("modernbert/token-cls")}. */
  public static Path golden(String relative) {
    Path p = goldenRoot().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalArgumentException(
          "no golden fixture " + relative + " (looked in " + goldenRoot() + ")");
    }
    return p;
  }

  /**
   * The checkout's root: the folder holding {@code mvnw} and {@code config.yaml}, found from the
   * {@code repo.dir} system property (surefire sets it) or by walking up from the working
   * directory.
   */
  public static Path repo() {
    String configured = System.getProperty("repo.dir");
    if (configured != null && isCheckout(Path.of(configured))) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (isCheckout(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the checkout (a folder with mvnw and config.yaml) above "
            + Path.of("").toAbsolutePath());
  }

  /** A file or folder of the checkout, e.g. {@code repo("models/category")}. */
  public static Path repo(String relative) {
    return repo().resolve(relative);
  }

  /**
   * A file under {@code ../shared/data}. Only quality tests call this; a missing folder fails the
   * test with the path it expected (the {@code quality} profile checks it once before any test).
   */
  public static Path sharedData(String relative) {
    Path data = sharedDir().resolve("data");
    if (!Files.isDirectory(data)) {
      throw new IllegalStateException(
          "quality tests need the labelled data in "
              + data
              + ": put the shared/ folder beside the checkout, or run without -Pquality");
    }
    Path p = data.resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("missing shared data file " + p);
    }
    return p;
  }

  /** {@code ../shared} beside the checkout, or the {@code shared.dir} system property. */
  public static Path sharedDir() {
    String configured = System.getProperty("shared.dir");
    Path p = configured != null ? Path.of(configured) : repo().resolve("../shared");
    return p.toAbsolutePath().normalize();
  }

  private static boolean isCheckout(Path p) {
    return Files.isRegularFile(p.resolve("mvnw")) && Files.isRegularFile(p.resolve("config.yaml"));
  }

  private static synchronized Path goldenRoot() {
    if (extractedGolden != null) {
      return extractedGolden;
    }
    URL url = Fixtures.class.getResource(GOLDEN);
    if (url == null) {
      throw new IllegalStateException(
          "golden fixtures missing from the class path (router-testkit)");
    }
    try {
      URI uri = url.toURI();
      if ("file".equals(uri.getScheme())) {
        extractedGolden = Path.of(uri);
      } else {
        // Inside router-testkit.jar (a reactor build past `package`): the loaders want real
        // folders, so copy the fixtures out once per JVM.
        extractedGolden = extract(uri);
      }
      return extractedGolden;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path extract(URI uri) throws IOException {
    Path target = Files.createTempDirectory("semroute-golden");
    target.toFile().deleteOnExit();
    try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of());
        Stream<Path> files = Files.walk(jar.provider().getPath(uri))) {
      Path source = jar.provider().getPath(uri);
      for (Path f : (Iterable<Path>) files::iterator) {
        Path out = target.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(out);
        } else {
          Files.copy(f, out);
        }
        out.toFile().deleteOnExit();
      }
    }
    return target;
  }
}

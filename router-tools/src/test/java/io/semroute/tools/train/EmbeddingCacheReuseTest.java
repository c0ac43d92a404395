package io.semroute.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.registry.ClassifierRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheReuseTest {

  @Test
  void aListWithOneNewTextReusesTheCachedRowsAndMatchesAFreshEncoding(@TempDir Path dir)
      throws Exception {
    List<String> first = List.of("What is an enzyme?", "How do I file a tort claim?");
    List<String> second =
        List.of("How do I file a tort claim?", "Define an eigenvalue.", "What is an enzyme?");
    try (TextEncoder encoder =
        ClassifierRegistry.builtinEncoder(LoadOptions.DEFAULT.withMaxTokens(32))) {
      EmbeddingCache cache = new EmbeddingCache(encoder, dir.resolve("cache"), "test");
      float[][] a = cache.embed(first, "first");
      float[][] b = cache.embed(second, "second");
      float[][] fresh =
          new EmbeddingCache(encoder, dir.resolve("fresh"), "test").embed(second, "fresh");
      assertThat(b[0]).containsExactly(a[1]);
      assertThat(b[2]).containsExactly(a[0]);
      for (int i = 0; i < fresh.length; i++) {
        for (int k = 0; k < fresh[i].length; k++) {
          assertThat(b[i][k]).isCloseTo(fresh[i][k], within(1e-4f));
        }
      }
      try (var files = Files.list(dir.resolve("cache"))) {
        assertThat(files.filter(p -> p.toString().endsWith(".keys")).count()).isEqualTo(2);
      }
    }
  }
}

package io.semroute.classifier.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** ../shared/golden, located through the system property surefire sets; missing is a failure. */
final class SharedData {
  private SharedData() {}

  static Path golden(String sub) {
    String shared = System.getProperty("shared.dir");
    assertThat(shared).as("system property shared.dir (set by surefire) must point at ../shared")
        .isNotNull();
    Path dir = Path.of(shared, "golden", sub);
    assertThat(Files.isDirectory(dir)).as("golden directory " + dir + " must exist").isTrue();
    return dir;
  }

  static JsonNode expected(Path dir) throws IOException {
    return new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
  }

  static double maxDiff(float[] actual, JsonNode expected) {
    assertThat(actual).hasSize(expected.size());
    double max = 0;
    for (int i = 0; i < actual.length; i++) {
      max = Math.max(max, Math.abs(actual[i] - expected.get(i).asDouble()));
    }
    return max;
  }

  static double maxDiff(float[] actual, float[] expected) {
    assertThat(actual).hasSize(expected.length);
    double max = 0;
    for (int i = 0; i < actual.length; i++) {
      max = Math.max(max, Math.abs(actual[i] - expected[i]));
    }
    return max;
  }
}

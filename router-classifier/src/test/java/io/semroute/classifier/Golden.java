package io.semroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/golden (system property shared.dir) and compares numbers. */
final class Golden {
  private Golden() {}

  static Path dir(String sub) {
    String shared = System.getProperty("shared.dir");
    assertThat(shared).as("system property shared.dir (set by surefire) must point at ../shared").isNotNull();
    Path p = Path.of(shared, "golden", sub);
    assertThat(Files.isDirectory(p)).as("golden directory " + p + " must exist").isTrue();
    return p;
  }

  static JsonNode expected(Path dir) throws IOException {
    return new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
  }

  static long[] longs(JsonNode arr) {
    long[] out = new long[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = arr.get(i).asLong();
    }
    return out;
  }

  static float[] floats(JsonNode arr) {
    float[] out = new float[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) arr.get(i).asDouble();
    }
    return out;
  }

  /** Largest absolute difference between a flat actual and an expected array of rows. */
  static double maxDiff(float[] actual, int actualOffset, JsonNode expectedRow) {
    double max = 0;
    for (int i = 0; i < expectedRow.size(); i++) {
      max = Math.max(max, Math.abs(actual[actualOffset + i] - expectedRow.get(i).asDouble()));
    }
    return max;
  }
}

package io.semroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a golden fixture's {@code expected.json} (folders from {@link
 * io.semroute.testkit.Fixtures#golden}) and compares numbers with it.
 */
public final class Golden {
  private Golden() {}

  public static JsonNode expected(Path dir) throws IOException {
    return new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
  }

  public static long[] longs(JsonNode arr) {
    long[] out = new long[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = arr.get(i).asLong();
    }
    return out;
  }

  public static float[] floats(JsonNode arr) {
    float[] out = new float[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) arr.get(i).asDouble();
    }
    return out;
  }

  /** Largest absolute difference between a flat actual and an expected array of rows. */
  public static double maxDiff(float[] actual, int actualOffset, JsonNode expectedRow) {
    double max = 0;
    for (int i = 0; i < expectedRow.size(); i++) {
      max = Math.max(max, Math.abs(actual[actualOffset + i] - expectedRow.get(i).asDouble()));
    }
    return max;
  }

  /** Largest absolute difference between two vectors of the same length. */
  public static double maxDiff(float[] actual, JsonNode expected) {
    assertThat(actual).hasSize(expected.size());
    return maxDiff(actual, 0, expected);
  }

  /** Largest absolute difference between two vectors of the same length. */
  public static double maxDiff(float[] actual, float[] expected) {
    assertThat(actual).hasSize(expected.length);
    double max = 0;
    for (int i = 0; i < actual.length; i++) {
      max = Math.max(max, Math.abs(actual[i] - expected[i]));
    }
    return max;
  }
}

package io.semroute.tools.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CacheKeyTest {

  @Test
  void keyIsTheDocumentedDigestSoCacheFilesOnDiskStayValid() {
    // Expected value from Python's hashlib over the same bytes (id, then 0 + UTF-8 per text).
    assertThat(
            CacheKey.of(
                "builtin:all-MiniLM-L6-v2/layers-0-5", List.of("Why is the sky blue?", "Grüße")))
        .isEqualTo("fbe34055c5d31c0e8fe11d82");
    assertThat(CacheKey.of("a", List.of("bc"))).isNotEqualTo(CacheKey.of("a", List.of("b", "c")));
  }

  @Test
  void lengthSortedBatchesCoverEveryRowOnceShortestFirst() {
    int[] lengths = {5, 1, 9, 3, 3, 7, 2};
    float[][] states = new float[lengths.length][];
    for (int i = 0; i < lengths.length; i++) {
      states[i] = new float[lengths[i] * 2];
    }
    int[][] batches = new LayerStates(states, lengths, 2).lengthSortedBatches(3);
    assertThat(batches).hasNumberOfRows(3);
    assertThat(batches[2]).hasSize(1);
    int[] all = Arrays.stream(batches).flatMapToInt(Arrays::stream).toArray();
    assertThat(all).containsExactlyInAnyOrder(IntStream.range(0, lengths.length).toArray());
    assertThat(Arrays.stream(all).map(i -> lengths[i]).toArray()).isSorted();
  }
}

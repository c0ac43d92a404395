package io.semroute.classifier.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

  @Test
  void shortPromptsAreNotPaddedToALongOne() {
    List<List<Integer>> groups =
        LengthBuckets.split(List.of(500, 25, 30, 480, 27), n -> n, 1.5, 32);

    assertThat(groups).containsExactly(List.of(25, 27, 30), List.of(480, 500));
  }

  @Test
  void shortSequencesShareOneCallWithinTheSlack() {
    // 3 padded to 20 is a 3x ratio, but calls this small are dominated by per-call overhead.
    List<List<Integer>> groups = LengthBuckets.split(List.of(3, 20, 9, 32), n -> n, 1.5, 32);

    assertThat(groups).containsExactly(List.of(3, 9, 20, 32));
  }

  @Test
  void similarLengthsStayTogetherAndOrderIsShortestFirst() {
    List<List<Integer>> groups = LengthBuckets.split(List.of(100, 90, 110, 95), n -> n, 1.5, 0);

    assertThat(groups).containsExactly(List.of(90, 95, 100, 110));
  }

  @Test
  void aRatioOfOneNeverPadsAcrossDifferentLengths() {
    List<List<Integer>> groups = LengthBuckets.split(List.of(40, 41, 40), n -> n, 1.0, 0);

    assertThat(groups).containsExactly(List.of(40, 40), List.of(41));
  }
}

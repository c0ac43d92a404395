package io.semroute.tools.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.pii.AddressLayout;
import io.semroute.classifier.pii.PiiEntity;
import io.semroute.testkit.QualityTest;
import io.semroute.tools.data.SpanExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layout rules must give the data set's own labels back: every address of the training and dev
 * rows (the template-held-out rows are left out, as in training) is handed to {@link AddressLayout}
 * as if a model had found exactly its gold pieces, and what comes out must be the gold spans again.
 * Where this falls short, even a perfect model would lose to the rules.
 */
@QualityTest
class AddressLayoutOnGoldSpansTest {

  @Test
  void goldAddressesComeBackWithTheirOwnLabels() {
    Map<String, int[]> counts = new HashMap<>(); // type -> {tp, fp, fn}
    for (SpanExample row : GoldSpans.trainAndDevRows()) {
      List<PiiEntity> gold = GoldSpans.entities(row);
      List<String> expected = keys(gold);
      List<String> got = keys(AddressLayout.apply(row.text(), gold));
      for (String k : got) {
        int[] c = counts.computeIfAbsent(k.substring(0, k.indexOf(' ')), t -> new int[3]);
        if (expected.remove(k)) {
          c[0]++;
        } else {
          c[1]++;
        }
      }
      expected.forEach(
          k -> counts.computeIfAbsent(k.substring(0, k.indexOf(' ')), t -> new int[3])[2]++);
    }
    int[] address = counts.get("STREET_ADDRESS");
    int[] gpe = counts.get("GPE");
    System.out.printf(
        "gold spans through AddressLayout: STREET_ADDRESS F1 %.3f %s, GPE F1 %.3f %s%n",
        f1(address), Arrays.toString(address), f1(gpe), Arrays.toString(gpe));
    // measured 0.96 / 0.97 when written; the misses are {{address}} rows printed in the
    // spelled-out layout at the start of a line, which no layout rule can tell apart
    assertThat(f1(address)).isGreaterThan(0.93);
    assertThat(f1(gpe)).isGreaterThan(0.93);
    assertThat(address[0]).isGreaterThan(400);
  }

  private static List<String> keys(List<PiiEntity> entities) {
    List<String> out = new ArrayList<>();
    for (PiiEntity e : entities) {
      if (e.type().equals("STREET_ADDRESS")
          || e.type().equals("GPE")
          || e.type().equals("ZIP_CODE")) {
        out.add(e.type() + " " + e.start() + ":" + e.end());
      }
    }
    return out;
  }

  private static double f1(int[] c) {
    return c[0] == 0 ? 0 : 2.0 * c[0] / (2.0 * c[0] + c[1] + c[2]);
  }
}

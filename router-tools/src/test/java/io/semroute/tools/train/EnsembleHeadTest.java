package io.semroute.tools.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnsembleHeadTest {

  private static MlpHead random(Random r, int in, int hidden, int classes) {
    float[] dw = new float[hidden * in];
    float[] db = new float[hidden];
    float[] ow = new float[classes * hidden];
    float[] ob = new float[classes];
    for (float[] a : List.of(dw, db, ow, ob)) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) r.nextGaussian();
      }
    }
    return new MlpHead(in, hidden, classes, dw, db, ow, ob);
  }

  @Test
  void averagedHeadComputesTheMeanOfItsMembersLogits() {
    Random r = new Random(11);
    List<MlpHead> members = List.of(random(r, 6, 4, 3), random(r, 6, 4, 3), random(r, 6, 4, 3));
    MlpHead merged = MlpHead.average(members);
    assertThat(merged.hidden()).isEqualTo(12);
    for (int t = 0; t < 20; t++) {
      float[] x = new float[6];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) r.nextGaussian();
      }
      float[] want = new float[3];
      for (MlpHead m : members) {
        float[] l = m.logits(x);
        for (int c = 0; c < 3; c++) {
          want[c] += l[c] / members.size();
        }
      }
      float[] got = merged.logits(x);
      for (int c = 0; c < 3; c++) {
        assertThat(got[c]).isCloseTo(want[c], within(1e-4f));
      }
    }
  }
}

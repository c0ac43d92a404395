package io.semroute.tools.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.pii.EntityEvidence;
import io.semroute.classifier.pii.PiiEntity;
import io.semroute.testkit.QualityTest;
import io.semroute.tools.data.SpanExample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * EntityEvidence's rules are claimed to hold for every gold span of the data set, so that on it
 * they only remove false positives: every gold entity of the training and dev rows (the
 * template-held-out rows are left out, as in training) must pass the filter.
 */
@QualityTest
class EntityEvidenceOnGoldSpansTest {

  @Test
  void everyGoldEntityPasses() {
    List<String> dropped = new ArrayList<>();
    int total = 0;
    for (SpanExample row : GoldSpans.trainAndDevRows()) {
      List<PiiEntity> gold = GoldSpans.entities(row);
      total += gold.size();
      List<PiiEntity> kept = EntityEvidence.filter(row.text(), gold);
      for (PiiEntity g : gold) {
        if (!kept.contains(g)) {
          dropped.add(g.type() + " [" + g.text() + "] in: " + row.text());
        }
      }
    }
    assertThat(total).isGreaterThan(2000);
    assertThat(dropped).isEmpty();
  }
}

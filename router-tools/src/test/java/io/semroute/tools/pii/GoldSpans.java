package io.semroute.tools.pii;

import io.semroute.classifier.pii.PiiEntity;
import io.semroute.testkit.Fixtures;
import io.semroute.tools.data.CharSpan;
import io.semroute.tools.data.DatasetAssembler;
import io.semroute.tools.data.SpanExample;
import java.util.ArrayList;
import java.util.List;

/**
 * The PII data set's gold spans, for tests that hand them to a decoder rule as if a model had found
 * them.
 */
final class GoldSpans {
  private GoldSpans() {}

  /**
   * The training and dev rows of {@code train prepare}'s split (the template-held-out rows left
   * out).
   */
  static List<SpanExample> trainAndDevRows() {
    DatasetAssembler.Pii pii =
        new DatasetAssembler(Fixtures.sharedData("README.md").getParent(), 42).pii();
    List<SpanExample> rows = new ArrayList<>(pii.train());
    rows.addAll(pii.dev());
    return rows;
  }

  /** A row's gold spans as model entities. */
  static List<PiiEntity> entities(SpanExample row) {
    List<PiiEntity> out = new ArrayList<>();
    for (CharSpan s : row.spans()) {
      out.add(PiiEntity.of(row.text(), s.label(), s.start(), s.end(), 0.9, PiiEntity.Origin.MODEL));
    }
    return out;
  }
}

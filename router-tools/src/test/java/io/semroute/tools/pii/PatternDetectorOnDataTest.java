package io.semroute.tools.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.pii.PatternPiiDetector;
import io.semroute.testkit.Fixtures;
import io.semroute.testkit.QualityTest;
import io.semroute.tools.data.Jsonl;
import io.semroute.tools.data.SpanExample;
import io.semroute.tools.eval.EntityReport;
import io.semroute.tools.eval.PiiEvaluation;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The recognizers on the labelled Presidio sample: every structured type must reach F1 0.95. */
@QualityTest
class PatternDetectorOnDataTest {

  @Test
  void structuredTypesReachTargetF1OnSpanData() {
    List<SpanExample> rows = Jsonl.readSpans(Fixtures.sharedData("pii/train_spans.jsonl"));
    PatternPiiDetector detector = PatternPiiDetector.defaults();
    Set<String> types = detector.types();
    EntityReport report = PiiEvaluation.run(rows, detector::detect, types).entities();
    System.out.println(report.format());
    assertThat(types)
        .containsExactlyInAnyOrder(
            "EMAIL_ADDRESS",
            "PHONE_NUMBER",
            "CREDIT_CARD",
            "US_SSN",
            "IBAN_CODE",
            "IP_ADDRESS",
            "DOMAIN_NAME");
    for (String t : types) {
      assertThat(report.score(t).support()).as(t + " support").isPositive();
      assertThat(report.score(t).f1()).as(t + " F1").isGreaterThanOrEqualTo(0.95);
    }
  }
}

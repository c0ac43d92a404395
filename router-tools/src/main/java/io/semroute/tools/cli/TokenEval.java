package io.semroute.tools.cli;

import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.pii.PiiDetector;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.tools.data.SpanExample;
import io.semroute.tools.eval.EntityReport;
import io.semroute.tools.eval.HtmlReport;
import io.semroute.tools.eval.LatencyStats;
import io.semroute.tools.eval.PiiEvaluation;
import java.nio.file.Path;
import java.util.List;

/** Evaluation of a PII token-classification model merged with the pattern recognizers. */
final class TokenEval {
  private TokenEval() {}

  static int run(List<SpanExample> rows, Path model, Path html) {
    PiiEvaluation.Result result;
    try (PiiDetector detector = ClassifierRegistry.openPii(model, LoadOptions.DEFAULT)) {
      detector.detect("warm-up");
      result = PiiEvaluation.run(rows, detector::detect, null); // all types: model + recognizers
    }
    EntityReport report = result.entities();
    LatencyStats latency = result.latency();
    System.out.printf(
        "pii eval: model %s merged with pattern recognizers, %d texts%n%n", model, rows.size());
    System.out.println(report.format());
    System.out.println(latency.format());
    if (html != null) {
      new HtmlReport("pii eval")
          .fact("model", model + " merged with the pattern recognizers")
          .fact("texts", Integer.toString(rows.size()))
          .entities(report)
          .latency(latency)
          .write(html);
    }
    return 0;
  }
}

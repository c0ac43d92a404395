package io.semroute.tools.eval;

import io.semroute.classifier.pii.PiiEntity;
import io.semroute.tools.data.CharSpan;
import io.semroute.tools.data.SpanExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs a PII detector over span examples and scores it entity by entity. When {@code onlyTypes} is
 * given, gold and predicted entities of other types are left out, so a detector that only knows
 * structured types (the pattern recognizers) is not charged for missing PERSON.
 */
public final class PiiEvaluation {

  /** The scores and the latency of one run. */
  public record Result(EntityReport entities, LatencyStats latency) {}

  private PiiEvaluation() {}

  public static Result run(
      List<SpanExample> rows, Function<String, List<PiiEntity>> detector, Set<String> onlyTypes) {
    EntityReport report = new EntityReport();
    LatencyStats latency = new LatencyStats();
    for (SpanExample row : rows) {
      long t0 = System.nanoTime();
      List<PiiEntity> found = detector.apply(row.text());
      latency.record(System.nanoTime() - t0);
      List<CharSpan> predicted = new ArrayList<>();
      for (PiiEntity e : found) {
        if (onlyTypes == null || onlyTypes.contains(e.type())) {
          predicted.add(new CharSpan(e.start(), e.end(), e.type()));
        }
      }
      List<CharSpan> gold = new ArrayList<>();
      for (CharSpan s : row.spans()) {
        if (onlyTypes == null || onlyTypes.contains(s.label())) {
          gold.add(s);
        }
      }
      report.add(gold, predicted);
    }
    return new Result(report, latency);
  }
}

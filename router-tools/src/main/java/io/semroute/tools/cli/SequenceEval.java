package io.semroute.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.tools.data.JailbreakLabels;
import io.semroute.tools.data.Jsonl;
import io.semroute.tools.data.LabeledText;
import io.semroute.tools.eval.ClassificationReport;
import io.semroute.tools.eval.GuardThresholdReport;
import io.semroute.tools.eval.HtmlReport;
import io.semroute.tools.eval.LatencyStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluation of sequence classifiers (category, jailbreak): one text at a time through the real
 * loaded model, so the latency printed is what a single request costs.
 */
final class SequenceEval {
  private SequenceEval() {}

  static int run(String task, Path data, Path model, Path html) {
    return run(task, data, model, html, new double[] {0.5}, null);
  }

  /**
   * @param thresholds jailbreak: block thresholds for the per-source table ({@link
   *     GuardThresholdReport})
   * @param scores jailbreak: when set, one {@code {"src","label","risk"}} row per input row is
   *     written here, for choosing thresholds without running the model again
   */
  static int run(String task, Path data, Path model, Path html, double[] thresholds, Path scores) {
    if (model == null) {
      System.err.println("eval: --model DIR is required for task " + task);
      return 2;
    }
    boolean jailbreak = task.equals("jailbreak");
    List<LabeledText> rows = Jsonl.readLabeled(data);
    List<JsonNode> raw = Jsonl.read(data);
    List<GuardThresholdReport.Row> risks = new ArrayList<>();
    List<String> gold = new ArrayList<>();
    List<String> pred = new ArrayList<>();
    LatencyStats latency = new LatencyStats();
    try (SequenceClassifier c = open(model)) {
      c.classify("warm-up");
      for (LabeledText r : rows) {
        long t0 = System.nanoTime();
        SequenceClassification out = c.classify(r.text());
        latency.record(System.nanoTime() - t0);
        gold.add(jailbreak ? JailbreakLabels.normalize(r.label()) : r.label());
        pred.add(out.label());
        if (jailbreak) {
          // The guard's risk: 1 - P(benign) (JailbreakGuard), source up to its first ':'.
          String src = raw.get(risks.size()).path("src").asText("-").split(":", 2)[0];
          Float benign = out.scores().get(JailbreakLabels.BENIGN);
          double risk = benign != null ? 1.0 - benign : out.scores().get(JailbreakLabels.JAILBREAK);
          risks.add(new GuardThresholdReport.Row(src, gold.get(gold.size() - 1), risk));
        }
      }
      ClassificationReport report = ClassificationReport.of(gold, pred, c.labels().labels());
      System.out.printf("%s eval: model %s on %s%n%n", task, model, data);
      System.out.println(report.format());
      if (jailbreak && report.labels().contains(JailbreakLabels.BENIGN)) {
        var benign = report.score(JailbreakLabels.BENIGN);
        long flagged = report.count(JailbreakLabels.BENIGN, JailbreakLabels.JAILBREAK);
        System.out.printf(
            Locale.ROOT,
            "false-positive rate (benign flagged as jailbreak): %.4f (%d of %d)%n",
            benign.support() == 0 ? 0.0 : (double) flagged / benign.support(),
            flagged,
            benign.support());
        if (report.labels().contains(JailbreakLabels.JAILBREAK)
            && report.score(JailbreakLabels.JAILBREAK).support() > 0) {
          System.out.printf(
              Locale.ROOT, "jailbreak F1: %.4f%n", report.score(JailbreakLabels.JAILBREAK).f1());
        }
      }
      if (jailbreak) {
        System.out.println();
        System.out.print(new GuardThresholdReport(risks, thresholds).format());
        if (scores != null) {
          List<Map<String, Object>> out = new ArrayList<>();
          for (GuardThresholdReport.Row r : risks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("src", r.src());
            m.put("label", r.gold());
            m.put("risk", r.risk());
            out.add(m);
          }
          Jsonl.write(scores, out);
        }
      }
      System.out.println(latency.format());
      if (html != null) {
        new HtmlReport(task + " eval")
            .fact("model", model.toString())
            .fact("data", data + " (" + rows.size() + " rows)")
            .classification(report)
            .latency(latency)
            .write(html);
      }
    }
    return 0;
  }

  static SequenceClassifier open(Path model) {
    return open(model, LoadOptions.DEFAULT);
  }

  /** A trained head over the built-in encoder, or a Hugging Face directory. */
  static SequenceClassifier open(Path model, LoadOptions options) {
    return ClassifierRegistry.openSequence(model, options);
  }
}

package io.semroute.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.classifier.CascadeRisk;
import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.tools.data.JailbreakLabels;
import io.semroute.tools.data.Jsonl;
import io.semroute.tools.data.LabeledText;
import io.semroute.tools.eval.GuardThresholdReport;
import io.semroute.tools.eval.LatencyStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The jailbreak guard as a cascade, as it serves: every text through the first stage, and through
 * the second stage only when the first scores it at or above the escalate threshold; its risk is
 * then both stages' ({@link CascadeRisk}). Prints the first stage alone and the cascade side by
 * side (per source, at each block threshold; once more for benign texts under {@value #SHORT_WORDS}
 * words), the share of texts escalated per source, and what the second stage adds per text.
 */
final class CascadeEval {
  /** "Short everyday questions": benign texts under this many words. */
  static final int SHORT_WORDS = 12;

  private CascadeEval() {}

  static int run(
      Path data, Path first, Path second, double escalate, double[] thresholds, Path scores) {
    List<LabeledText> rows = Jsonl.readLabeled(data);
    List<JsonNode> raw = Jsonl.read(data);
    List<GuardThresholdReport.Row> alone = new ArrayList<>();
    List<GuardThresholdReport.Row> cascade = new ArrayList<>();
    List<GuardThresholdReport.Row> shortAlone = new ArrayList<>();
    List<GuardThresholdReport.Row> shortCascade = new ArrayList<>();
    Map<String, int[]> escalated = new TreeMap<>();
    List<Map<String, Object>> out = new ArrayList<>();
    LatencyStats firstLatency = new LatencyStats();
    LatencyStats secondLatency = new LatencyStats();
    LatencyStats added = new LatencyStats();
    try (SequenceClassifier s1 = SequenceEval.open(first);
        SequenceClassifier s2 = SequenceEval.open(second)) {
      s1.classify("warm-up");
      s2.classify("warm-up");
      for (int i = 0; i < rows.size(); i++) {
        LabeledText r = rows.get(i);
        String src = raw.get(i).path("src").asText("-").split(":", 2)[0];
        String gold = JailbreakLabels.normalize(r.label());
        long t0 = System.nanoTime();
        double risk1 = risk(s1.classify(r.text()));
        long t1 = System.nanoTime();
        firstLatency.record(t1 - t0);
        boolean up = risk1 >= escalate;
        double risk = risk1;
        if (up) {
          risk = CascadeRisk.of(risk1, risk(s2.classify(r.text())));
          long t2 = System.nanoTime();
          secondLatency.record(t2 - t1);
          added.record(t2 - t1);
        } else {
          added.record(0);
        }
        int[] e = escalated.computeIfAbsent(src, k -> new int[2]);
        e[0] += up ? 1 : 0;
        e[1]++;
        alone.add(new GuardThresholdReport.Row(src, gold, risk1));
        cascade.add(new GuardThresholdReport.Row(src, gold, risk));
        if (gold.equals(JailbreakLabels.BENIGN) && words(r.text()) < SHORT_WORDS) {
          shortAlone.add(new GuardThresholdReport.Row(src, gold, risk1));
          shortCascade.add(new GuardThresholdReport.Row(src, gold, risk));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("src", src);
        m.put("label", gold);
        m.put("first_risk", risk1);
        m.put("escalated", up);
        m.put("risk", risk);
        out.add(m);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "jailbreak cascade eval: first stage %s, second stage %s from first-stage risk %s, on %s%n%n",
        first,
        second,
        escalate,
        data);
    System.out.println("first stage alone:");
    System.out.print(new GuardThresholdReport(alone, thresholds).format());
    System.out.println();
    System.out.println("cascade:");
    System.out.print(new GuardThresholdReport(cascade, thresholds).format());
    if (!shortAlone.isEmpty()) {
      System.out.println();
      System.out.printf("benign texts under %d words, first stage alone:%n", SHORT_WORDS);
      System.out.print(new GuardThresholdReport(shortAlone, thresholds).format());
      System.out.printf("benign texts under %d words, cascade:%n", SHORT_WORDS);
      System.out.print(new GuardThresholdReport(shortCascade, thresholds).format());
    }
    System.out.println();
    int up = 0;
    for (Map.Entry<String, int[]> e : escalated.entrySet()) {
      up += e.getValue()[0];
      System.out.printf(
          Locale.ROOT,
          "escalated to the second stage: %-28s %d of %d (%.2f%%)%n",
          e.getKey(),
          e.getValue()[0],
          e.getValue()[1],
          100.0 * e.getValue()[0] / e.getValue()[1]);
    }
    System.out.printf(
        Locale.ROOT,
        "escalated to the second stage: %-28s %d of %d (%.2f%%)%n",
        "ALL",
        up,
        rows.size(),
        rows.isEmpty() ? 0.0 : 100.0 * up / rows.size());
    System.out.println("first stage, " + firstLatency.format());
    System.out.println("second stage (escalated texts only), " + secondLatency.format());
    System.out.println(
        "added by the second stage (every text; 0 when not escalated), " + added.format());
    if (scores != null) {
      Jsonl.write(scores, out);
    }
    return 0;
  }

  /** The guard's risk: 1 - P(benign), or P(jailbreak) without a benign label. */
  private static double risk(SequenceClassification c) {
    Float benign = c.scores().get(JailbreakLabels.BENIGN);
    return benign != null ? 1.0 - benign : c.scores().get(JailbreakLabels.JAILBREAK);
  }

  private static int words(String text) {
    String t = text.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }
}

package io.semroute.tools.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Single-label classification metrics: accuracy, macro-F1, per-class precision/recall/F1 and a
 * confusion matrix (rows = gold, columns = predicted). Labels are all labels seen in gold or
 * predictions, sorted, unless given.
 */
public final class ClassificationReport {
  private final List<String> labels;
  private final long[][] confusion;
  private final long total;

  private ClassificationReport(List<String> labels, long[][] confusion, long total) {
    this.labels = labels;
    this.confusion = confusion;
    this.total = total;
  }

  public static ClassificationReport of(List<String> gold, List<String> predicted) {
    TreeSet<String> all = new TreeSet<>(gold);
    all.addAll(predicted);
    return of(gold, predicted, new ArrayList<>(all));
  }

  public static ClassificationReport of(
      List<String> gold, List<String> predicted, List<String> labels) {
    if (gold.size() != predicted.size()) {
      throw new IllegalArgumentException(
          "gold and predicted differ in size: " + gold.size() + " vs " + predicted.size());
    }
    Map<String, Integer> index = new LinkedHashMap<>();
    for (String l : labels) {
      index.putIfAbsent(l, index.size());
    }
    for (String l : gold) {
      index.putIfAbsent(l, index.size());
    }
    for (String l : predicted) {
      index.putIfAbsent(l, index.size());
    }
    long[][] m = new long[index.size()][index.size()];
    for (int i = 0; i < gold.size(); i++) {
      m[index.get(gold.get(i))][index.get(predicted.get(i))]++;
    }
    return new ClassificationReport(List.copyOf(index.keySet()), m, gold.size());
  }

  public List<String> labels() {
    return labels;
  }

  public long count(String gold, String predicted) {
    return confusion[labels.indexOf(gold)][labels.indexOf(predicted)];
  }

  public double accuracy() {
    long correct = 0;
    for (int i = 0; i < labels.size(); i++) {
      correct += confusion[i][i];
    }
    return total == 0 ? 0 : (double) correct / total;
  }

  public PrfScore score(String label) {
    int k = labels.indexOf(label);
    long tp = confusion[k][k];
    long fp = 0;
    long fn = 0;
    for (int i = 0; i < labels.size(); i++) {
      if (i != k) {
        fp += confusion[i][k];
        fn += confusion[k][i];
      }
    }
    return new PrfScore(tp, fp, fn);
  }

  /** Unweighted mean of per-class F1 over classes that occur in the gold labels. */
  public double macroF1() {
    double sum = 0;
    int n = 0;
    for (String l : labels) {
      PrfScore s = score(l);
      if (s.support() > 0) {
        sum += s.f1();
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  /** Plain-text report: summary line, per-class table, confusion matrix. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "examples %d  accuracy %.4f  macro-F1 %.4f%n%n",
            total,
            accuracy(),
            macroF1()));
    int w = Math.max(8, labels.stream().mapToInt(String::length).max().orElse(8));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-" + w + "s %9s %9s %9s %8s%n",
            "class",
            "precision",
            "recall",
            "f1",
            "support"));
    for (String l : labels) {
      PrfScore s = score(l);
      sb.append(
          String.format(
              Locale.ROOT,
              "%-" + w + "s %9.4f %9.4f %9.4f %8d%n",
              l,
              s.precision(),
              s.recall(),
              s.f1(),
              s.support()));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%nconfusion matrix (rows gold, columns predicted; columns numbered as rows)%n"));
    sb.append(String.format(Locale.ROOT, "%" + (w + 4) + "s", ""));
    for (int j = 0; j < labels.size(); j++) {
      sb.append(String.format(Locale.ROOT, "%6d", j));
    }
    sb.append(System.lineSeparator());
    for (int i = 0; i < labels.size(); i++) {
      sb.append(String.format(Locale.ROOT, "%2d %-" + w + "s ", i, labels.get(i)));
      for (int j = 0; j < labels.size(); j++) {
        sb.append(String.format(Locale.ROOT, "%6d", confusion[i][j]));
      }
      sb.append(System.lineSeparator());
    }
    return sb.toString();
  }
}

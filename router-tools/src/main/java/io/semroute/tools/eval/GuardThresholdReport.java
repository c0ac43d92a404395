package io.semroute.tools.eval;

import io.semroute.tools.data.JailbreakLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a jailbreak guard does at several block thresholds, per source: benign texts refused and
 * attacks caught, with attack precision / recall / F1 over all rows. A guard's threshold is a
 * choice between refusing ordinary users and letting attacks through, so one table shows both sides
 * for each candidate value; the per-source rows show which kind of text a threshold costs.
 */
public final class GuardThresholdReport {
  /** One scored row: its source, gold label and the guard's risk (1 - P(benign)). */
  public record Row(String src, String gold, double risk) {}

  private final List<Row> rows;
  private final double[] thresholds;

  public GuardThresholdReport(List<Row> rows, double[] thresholds) {
    this.rows = List.copyOf(rows);
    this.thresholds = thresholds.clone();
  }

  /** Counts at or above {@code t}: benign refused and attacks caught, with their totals. */
  public record Counts(long benignFlagged, long benign, long attacksCaught, long attacks) {
    public double precision() {
      long flagged = benignFlagged + attacksCaught;
      return flagged == 0 ? 0.0 : (double) attacksCaught / flagged;
    }

    public double recall() {
      return attacks == 0 ? 0.0 : (double) attacksCaught / attacks;
    }

    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }
  }

  public Counts counts(double t, String src) {
    long bf = 0;
    long b = 0;
    long ac = 0;
    long a = 0;
    for (Row r : rows) {
      if (src != null && !r.src().equals(src)) {
        continue;
      }
      boolean fired = r.risk() >= t;
      if (r.gold().equals(JailbreakLabels.BENIGN)) {
        b++;
        bf += fired ? 1 : 0;
      } else {
        a++;
        ac += fired ? 1 : 0;
      }
    }
    return new Counts(bf, b, ac, a);
  }

  public String format() {
    Map<String, Boolean> sources = new TreeMap<>();
    rows.forEach(r -> sources.put(r.src(), true));
    List<String> names = new ArrayList<>(sources.keySet());
    names.add(null);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-36s", "source \\ block threshold"));
    for (double t : thresholds) {
      sb.append(String.format(Locale.ROOT, " | %-26s", "t=" + t));
    }
    sb.append('\n');
    for (String src : names) {
      sb.append(String.format(Locale.ROOT, "%-36s", src == null ? "ALL" : src));
      for (double t : thresholds) {
        Counts c = counts(t, src);
        String cell = "";
        if (c.benign() > 0) {
          cell +=
              String.format(
                  Locale.ROOT,
                  "benign %d/%d %.2f%%",
                  c.benignFlagged(),
                  c.benign(),
                  100.0 * c.benignFlagged() / c.benign());
        }
        if (c.attacks() > 0) {
          cell +=
              (cell.isEmpty() ? "" : "; ")
                  + String.format(Locale.ROOT, "caught %d/%d", c.attacksCaught(), c.attacks());
        }
        sb.append(String.format(Locale.ROOT, " | %-26s", cell));
      }
      sb.append('\n');
    }
    for (double t : thresholds) {
      Counts c = counts(t, null);
      if (c.attacks() > 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                "t=%s: attack P %.4f R %.4f F1 %.4f%n",
                t,
                c.precision(),
                c.recall(),
                c.f1()));
      }
    }
    return sb.toString();
  }
}

package io.semroute.tools.eval;

import io.semroute.tools.data.CharSpan;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Entity-level precision / recall / F1 per type: a predicted entity counts only when its type,
 * start and end all equal a gold entity's (the strict CoNLL-style rule). Surrounding whitespace is
 * not trimmed; both sides are compared as given.
 */
public final class EntityReport {
  private final Map<String, long[]> counts = new TreeMap<>(); // type -> {tp, fp, fn}
  private long texts;
  private long textsPredicted;
  private long textsWithFalsePositive;

  /** Adds one text's gold and predicted entities. */
  public void add(List<CharSpan> gold, List<CharSpan> predicted) {
    Set<CharSpan> goldSet = new HashSet<>(gold);
    Set<CharSpan> matched = new HashSet<>();
    boolean falsePositive = false;
    for (CharSpan p : predicted) {
      if (goldSet.contains(p) && matched.add(p)) {
        counts(p.label())[0]++;
      } else {
        counts(p.label())[1]++;
        falsePositive = true;
      }
    }
    // Per text, because a guard acts per request: on ordinary prompts (no gold entities) this is
    // the share of requests a PII policy would act on wrongly.
    texts++;
    textsPredicted += predicted.isEmpty() ? 0 : 1;
    textsWithFalsePositive += falsePositive ? 1 : 0;
    for (CharSpan g : goldSet) {
      if (!matched.contains(g)) {
        counts(g.label())[2]++;
      }
    }
  }

  private long[] counts(String type) {
    return counts.computeIfAbsent(type, t -> new long[3]);
  }

  /** Texts added so far that got at least one predicted entity that matches no gold entity. */
  public long textsWithFalsePositive() {
    return textsWithFalsePositive;
  }

  private double percent(long n) {
    return texts == 0 ? 0 : 100.0 * n / texts;
  }

  public Set<String> types() {
    return counts.keySet();
  }

  public PrfScore score(String type) {
    long[] c = counts.getOrDefault(type, new long[3]);
    return new PrfScore(c[0], c[1], c[2]);
  }

  /** Micro-averaged score over the given types. */
  public PrfScore micro(Set<String> types) {
    PrfScore total = new PrfScore(0, 0, 0);
    for (String t : types) {
      total = total.plus(score(t));
    }
    return total;
  }

  public String format() {
    StringBuilder sb = new StringBuilder();
    int w = Math.max(10, counts.keySet().stream().mapToInt(String::length).max().orElse(10));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-" + w + "s %9s %9s %9s %8s %6s %6s%n",
            "type",
            "precision",
            "recall",
            "f1",
            "support",
            "tp",
            "fp"));
    for (String t : counts.keySet()) {
      PrfScore s = score(t);
      sb.append(
          String.format(
              Locale.ROOT,
              "%-" + w + "s %9.4f %9.4f %9.4f %8d %6d %6d%n",
              t,
              s.precision(),
              s.recall(),
              s.f1(),
              s.support(),
              s.tp(),
              s.fp()));
    }
    PrfScore all = micro(counts.keySet());
    sb.append(
        String.format(
            Locale.ROOT,
            "%-" + w + "s %9.4f %9.4f %9.4f %8d %6d %6d%n",
            "micro-all",
            all.precision(),
            all.recall(),
            all.f1(),
            all.support(),
            all.tp(),
            all.fp()));
    sb.append(
        String.format(
            Locale.ROOT,
            "texts: %d, with a predicted entity: %d (%.1f %%), with a false positive: %d (%.1f %%)%n",
            texts,
            textsPredicted,
            percent(textsPredicted),
            textsWithFalsePositive,
            percent(textsWithFalsePositive)));
    return sb.toString();
  }
}

package io.semroute.tools.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/** Reproducible random splits, stratified by a key so small classes appear on every side. */
public final class SeededSplit {
  private SeededSplit() {}

  /**
   * Splits {@code rows} into parts of the given fractions (summing to 1), per stratum, after a
   * seeded shuffle. Order inside each part follows the shuffle.
   */
  public static <T> List<List<T>> split(
      List<T> rows, Function<T, String> stratum, long seed, double... fractions) {
    double sum = 0;
    for (double f : fractions) {
      sum += f;
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw new IllegalArgumentException("fractions must sum to 1, got " + sum);
    }
    Map<String, List<T>> groups = new LinkedHashMap<>();
    for (T r : rows) {
      groups.computeIfAbsent(stratum.apply(r), k -> new ArrayList<>()).add(r);
    }
    List<List<T>> parts = new ArrayList<>();
    for (int i = 0; i < fractions.length; i++) {
      parts.add(new ArrayList<>());
    }
    Random random = new Random(seed);
    for (List<T> g : new TreeMap<>(groups).values()) {
      List<T> shuffled = new ArrayList<>(g);
      Collections.shuffle(shuffled, random);
      int from = 0;
      double cumulative = 0;
      for (int i = 0; i < fractions.length; i++) {
        cumulative += fractions[i];
        int to =
            i == fractions.length - 1
                ? shuffled.size()
                : (int) Math.round(cumulative * shuffled.size());
        parts.get(i).addAll(shuffled.subList(from, to));
        from = to;
      }
    }
    for (List<T> p : parts) {
      Collections.shuffle(p, random);
    }
    return parts;
  }
}

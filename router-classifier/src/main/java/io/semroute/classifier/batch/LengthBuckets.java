package io.semroute.classifier.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Splits a gathered batch into calls whose members have similar lengths.
 *
 * <p>A transformer pads every sequence in a call to the longest one, and attention costs grow with
 * the square of that length, so a 25-token prompt batched with a 500-token one would cost nearly as
 * much as a second 500-token prompt. Items are sorted by length and grouped greedily: a longer item
 * joins the current group only while the padded token count stays within {@code maxPaddingRatio} of
 * the real token count, or while everything is shorter than {@code slackTokens} (short calls are
 * dominated by fixed per-call overhead, so splitting them would cost more than the padding). Groups
 * come out shortest first, so short requests are answered first.
 */
final class LengthBuckets {

  private LengthBuckets() {}

  static <T> List<List<T>> split(
      List<T> items, ToIntFunction<? super T> length, double maxPaddingRatio, int slackTokens) {
    List<T> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparingInt(length));
    List<List<T>> groups = new ArrayList<>();
    List<T> current = new ArrayList<>();
    long realTokens = 0;
    for (T item : sorted) {
      int len = length.applyAsInt(item);
      long paddedIfAdded = (long) (current.size() + 1) * len;
      boolean fits =
          current.isEmpty()
              || len <= slackTokens
              || paddedIfAdded <= maxPaddingRatio * (realTokens + len);
      if (!fits) {
        groups.add(current);
        current = new ArrayList<>();
        realTokens = 0;
      }
      current.add(item);
      realTokens += len;
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    return groups;
  }
}

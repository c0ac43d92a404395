package io.semroute.tools.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Splits span examples into train / held-out by {@code template_id}, so no sentence template is on
 * both sides (the synthetic PII data reuses each template with different fake values; a row split
 * would let a model memorise templates and look better than it is).
 */
public final class TemplateSplit {

  /** The two sides and the template ids held out. */
  public record Result(
      List<SpanExample> train, List<SpanExample> heldOut, List<Integer> heldOutTemplates) {}

  private TemplateSplit() {}

  /**
   * Holds out about {@code heldOutFraction} of the distinct template ids, chosen by a seeded
   * shuffle of the sorted ids, so the split is the same on every machine and run.
   */
  public static Result split(List<SpanExample> rows, double heldOutFraction, long seed) {
    if (heldOutFraction <= 0 || heldOutFraction >= 1) {
      throw new IllegalArgumentException("heldOutFraction must be in (0,1): " + heldOutFraction);
    }
    List<Integer> ids =
        new ArrayList<>(new TreeSet<>(rows.stream().map(SpanExample::templateId).toList()));
    Collections.shuffle(ids, new Random(seed));
    int n = Math.max(1, (int) Math.round(ids.size() * heldOutFraction));
    List<Integer> held = new ArrayList<>(ids.subList(0, n));
    Collections.sort(held);
    TreeSet<Integer> heldSet = new TreeSet<>(held);
    List<SpanExample> train = new ArrayList<>();
    List<SpanExample> out = new ArrayList<>();
    for (SpanExample r : rows) {
      (heldSet.contains(r.templateId()) ? out : train).add(r);
    }
    return new Result(List.copyOf(train), List.copyOf(out), List.copyOf(held));
  }
}

package io.semroute.tools.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Template-level k-fold cross-validation splits: every {@code template_id} lands in exactly one
 * fold, so each fold's rows come from templates the rest never saw. Why: the PII dev split holds
 * only 25 templates, too few to choose between training runs (a run better on it was worse on the
 * held-out templates); pooling k folds scores every non-held-out template once.
 */
public final class TemplateFolds {
  private TemplateFolds() {}

  /**
   * {@code k} splits; in split {@code i}, {@code heldOut} is fold {@code i} and {@code train} the
   * other folds. Template ids are shuffled (seeded, from their sorted order) and dealt out in turn,
   * so fold sizes in templates differ by at most one and the result is the same everywhere.
   */
  public static List<TemplateSplit.Result> split(List<SpanExample> rows, int k, long seed) {
    List<Integer> ids =
        new ArrayList<>(new TreeSet<>(rows.stream().map(SpanExample::templateId).toList()));
    if (k < 2 || k > ids.size()) {
      throw new IllegalArgumentException("need 2 <= folds <= templates (" + ids.size() + "): " + k);
    }
    Collections.shuffle(ids, new Random(seed));
    List<TemplateSplit.Result> out = new ArrayList<>(k);
    for (int fold = 0; fold < k; fold++) {
      TreeSet<Integer> held = new TreeSet<>();
      for (int i = fold; i < ids.size(); i += k) {
        held.add(ids.get(i));
      }
      List<SpanExample> train = new ArrayList<>();
      List<SpanExample> test = new ArrayList<>();
      for (SpanExample r : rows) {
        (held.contains(r.templateId()) ? test : train).add(r);
      }
      out.add(new TemplateSplit.Result(List.copyOf(train), List.copyOf(test), List.copyOf(held)));
    }
    return out;
  }
}

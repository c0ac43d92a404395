package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Combines entities from recognizers and a token-classification model into one list with no
 * overlaps, ordered by start offset.
 *
 * <p>Policy, applied greedily: candidates are ranked by origin first (checksum/structure validated
 * pattern, then plain pattern, then model), then by score, then by length (longer wins), then by
 * earlier start. Each candidate is kept unless it overlaps one already kept. Why origin first: a
 * Luhn-valid card or a mod-97-valid IBAN is near-certain, while a model often splits or mislabels
 * long digit strings; the model remains the only source for PERSON, addresses and other
 * unstructured types, which patterns never claim. Exact duplicates from several sources collapse
 * into the highest-ranked one.
 */
public final class EntityMerger {

  private static final Comparator<PiiEntity> RANK =
      Comparator.comparingInt((PiiEntity e) -> e.origin().ordinal())
          .thenComparing(Comparator.comparingDouble(PiiEntity::score).reversed())
          .thenComparing(Comparator.comparingInt(PiiEntity::length).reversed())
          .thenComparingInt(PiiEntity::start);

  private EntityMerger() {}

  @SafeVarargs
  public static List<PiiEntity> merge(Collection<PiiEntity>... sources) {
    List<PiiEntity> all = new ArrayList<>();
    for (Collection<PiiEntity> s : sources) {
      all.addAll(s);
    }
    all.sort(RANK);
    List<PiiEntity> kept = new ArrayList<>();
    for (PiiEntity candidate : all) {
      boolean clash = false;
      for (PiiEntity k : kept) {
        if (k.overlaps(candidate)) {
          clash = true;
          break;
        }
      }
      if (!clash) {
        kept.add(candidate);
      }
    }
    kept.sort(Comparator.comparingInt(PiiEntity::start).thenComparingInt(PiiEntity::end));
    return List.copyOf(kept);
  }
}

package io.semroute.extproc.guard;

import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What PII detection found in a request: the entity types (sorted, for stable headers) and how
 * many entities. Deliberately no values: this record is what gets logged and sent on.
 */
public record PiiFindings(SortedSet<String> types, int count) {
  public static final PiiFindings NONE = new PiiFindings(new TreeSet<>(), 0);

  public PiiFindings {
    types = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(types));
  }

  public boolean found() {
    return count > 0;
  }
}

package io.semroute.extproc.guard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What PII detection found in a request: the entity types (sorted, for stable headers), how many
 * entities, and where each sits (JSON pointer of the client text, offsets, type) so a policy can
 * redact it. Deliberately no values: this record is what gets logged and sent on.
 */
public record PiiFindings(SortedSet<String> types, int count, List<Located> entities) {
  public static final PiiFindings NONE = new PiiFindings(new TreeSet<>(), 0, List.of());

  /**
   * One counted entity.
   *
   * @param pointer the JSON pointer of the client text it is in
   * @param start UTF-16 offset into the decoded text
   * @param end exclusive
   */
  public record Located(String pointer, int start, int end, String type) {}

  public PiiFindings {
    types = Collections.unmodifiableSortedSet(new TreeSet<>(types));
    entities = List.copyOf(entities);
  }

  public PiiFindings(SortedSet<String> types, int count) {
    this(types, count, List.of());
  }

  public static PiiFindings of(List<Located> entities) {
    TreeSet<String> types = new TreeSet<>();
    entities.forEach(e -> types.add(e.type()));
    return new PiiFindings(types, entities.size(), new ArrayList<>(entities));
  }

  public boolean found() {
    return count > 0;
  }
}

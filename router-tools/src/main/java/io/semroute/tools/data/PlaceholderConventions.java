package io.semroute.tools.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What labelled rows teach about each template placeholder: which entity label the data set gives
 * its value (read off the gold spans, not assumed: {@code {{building_number}}} and {@code
 * {{street_name}}} are two separate STREET_ADDRESS spans, {@code {{postcode}}} is STREET_ADDRESS
 * while {@code {{zipcode}}} is ZIP_CODE, {@code {{job}}} is TITLE) and the values seen in that
 * slot. Rows are aligned with their template ({@link PiiTemplate#match}); a slot whose value is
 * exactly a gold span votes for that label, one overlapping no span votes {@link #UNLABELLED}, one
 * overlapping a span only partly ("Southern Tunisia" with only "Tunisia" labelled) does not vote
 * and its value is not kept.
 */
public final class PlaceholderConventions {
  public static final String UNLABELLED = "O";

  private final Map<String, String> labels;
  private final Map<String, List<String>> values;
  private final int alignedRows;

  private PlaceholderConventions(
      Map<String, String> labels, Map<String, List<String>> values, int alignedRows) {
    this.labels = labels;
    this.values = values;
    this.alignedRows = alignedRows;
  }

  public static PlaceholderConventions learn(List<PiiTemplate> templates, List<SpanExample> rows) {
    Map<String, Map<String, Integer>> votes = new TreeMap<>();
    Map<String, List<String>> values = new TreeMap<>();
    int aligned = 0;
    for (SpanExample row : rows) {
      if (row.templateId() < 0 || row.templateId() >= templates.size()) {
        continue;
      }
      Optional<List<CharSpan>> slots = templates.get(row.templateId()).match(row.text());
      if (slots.isEmpty()) {
        continue;
      }
      aligned++;
      for (CharSpan slot : slots.get()) {
        String label = labelOf(slot, row.spans());
        if (label == null) {
          continue;
        }
        votes.computeIfAbsent(slot.label(), k -> new HashMap<>()).merge(label, 1, Integer::sum);
        values
            .computeIfAbsent(slot.label(), k -> new ArrayList<>())
            .add(row.text().substring(slot.start(), slot.end()));
      }
    }
    Map<String, String> labels = new TreeMap<>();
    votes.forEach(
        (placeholder, v) ->
            labels.put(
                placeholder,
                v.entrySet().stream()
                    .max(
                        Map.Entry.<String, Integer>comparingByValue()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .orElseThrow()
                    .getKey()));
    return new PlaceholderConventions(labels, values, aligned);
  }

  /**
   * The gold label of exactly this slot, UNLABELLED when no span touches it, null when partly
   * covered.
   */
  private static String labelOf(CharSpan slot, List<CharSpan> gold) {
    for (CharSpan g : gold) {
      if (g.start() == slot.start() && g.end() == slot.end()) {
        return g.label();
      }
    }
    for (CharSpan g : gold) {
      if (g.start() < slot.end() && slot.start() < g.end()) {
        return null;
      }
    }
    return UNLABELLED;
  }

  /** The label this placeholder's values get, if any row taught it. */
  public Optional<String> label(String placeholder) {
    return Optional.ofNullable(labels.get(placeholder));
  }

  /** Values seen in this slot, in row order (duplicates kept, so common values stay common). */
  public List<String> values(String placeholder) {
    return values.getOrDefault(placeholder, List.of());
  }

  public Map<String, String> labels() {
    return Map.copyOf(labels);
  }

  /** Rows that fit their template. */
  public int alignedRows() {
    return alignedRows;
  }
}

package io.semroute.classifier.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Output labels of a classifier head, by logit index. */
public record LabelSet(List<String> labels, String source) {

  public LabelSet {
    labels = List.copyOf(labels);
  }

  public int size() {
    return labels.size();
  }

  public String get(int index) {
    return labels.get(index);
  }

  /**
   * Reads the reference router's label files when present: {@code category_mapping.json} ({@code
   * idx_to_category}) or {@code pii_type_mapping.json} / {@code jailbreak_type_mapping.json}
   * ({@code idx_to_label}). They exist because the reference router's trainers did not always fill
   * {@code id2label}; when present they win over config.json.
   */
  public static Optional<LabelSet> fromReferenceMappingFiles(Path dir) {
    String[][] candidates = {
      {"category_mapping.json", "idx_to_category"},
      {"pii_type_mapping.json", "idx_to_label"},
      {"jailbreak_type_mapping.json", "idx_to_label"},
    };
    for (String[] c : candidates) {
      Path file = dir.resolve(c[0]);
      if (Files.isRegularFile(file)) {
        JsonNode root;
        try {
          root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
          throw new CheckpointFormatException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode m = root == null ? null : root.get(c[1]);
        if (m == null || !m.isObject() || m.size() == 0) {
          throw new CheckpointFormatException(file + ": key '" + c[1] + "' is missing or empty");
        }
        return Optional.of(indexToLabel(m, file.toString(), c[1]));
      }
    }
    return Optional.empty();
  }

  /** Parses {"0": "a", "1": "b"} into [a, b], insisting on contiguous indices from 0. */
  static LabelSet indexToLabel(JsonNode map, String source, String key) {
    String[] out = new String[map.size()];
    Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      int idx;
      try {
        idx = Integer.parseInt(e.getKey().trim());
      } catch (NumberFormatException ex) {
        throw new CheckpointFormatException(
            source + ": '" + key + "' has a non-numeric index '" + e.getKey() + "'");
      }
      if (idx < 0 || idx >= out.length || out[idx] != null) {
        throw new CheckpointFormatException(
            source
                + ": '"
                + key
                + "' indices must be 0.."
                + (out.length - 1)
                + " without gaps or repeats (found "
                + idx
                + ")");
      }
      out[idx] = e.getValue().asText();
    }
    return new LabelSet(List.of(out), source + " " + key);
  }
}

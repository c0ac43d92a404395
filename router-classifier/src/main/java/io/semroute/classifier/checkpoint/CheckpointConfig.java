package io.semroute.classifier.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of a Hugging Face {@code config.json} the engine reads. Keys are read lazily through
 * typed getters so a missing required key fails with the file and key named, while keys a given
 * architecture does not use are never demanded.
 */
public final class CheckpointConfig {
  private final String source;
  private final JsonNode root;

  private CheckpointConfig(String source, JsonNode root) {
    this.source = source;
    this.root = root;
  }

  public static CheckpointConfig read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CheckpointFormatException(
          "missing " + file + " (every model directory needs config.json)");
    }
    try {
      JsonNode node = new ObjectMapper().readTree(file.toFile());
      if (node == null || !node.isObject()) {
        throw new CheckpointFormatException(file + ": expected a JSON object");
      }
      return new CheckpointConfig(file.toString(), node);
    } catch (IOException e) {
      throw new CheckpointFormatException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  /** For configs that do not come from a file (the built-in encoder). */
  public static CheckpointConfig of(String source, JsonNode root) {
    return new CheckpointConfig(source, root);
  }

  public String source() {
    return source;
  }

  /** First entry of {@code architectures}, e.g. {@code ModernBertForSequenceClassification}. */
  public String architecture() {
    JsonNode a = root.get("architectures");
    if (a != null && a.isArray() && a.size() > 0) {
      return a.get(0).asText();
    }
    throw new CheckpointFormatException(source + ": key 'architectures' is missing or empty");
  }

  public String modelType() {
    return string("model_type", "");
  }

  public int requireInt(String key) {
    JsonNode n = root.get(key);
    if (n == null || !n.canConvertToInt()) {
      throw new CheckpointFormatException(
          source + ": key '" + key + "' is missing or not an integer");
    }
    return n.asInt();
  }

  public int intOr(String key, int fallback) {
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? fallback : n.asInt(fallback);
  }

  public double doubleOr(String key, double fallback) {
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? fallback : n.asDouble(fallback);
  }

  public boolean boolOr(String key, boolean fallback) {
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? fallback : n.asBoolean(fallback);
  }

  public String string(String key, String fallback) {
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? fallback : n.asText();
  }

  /**
   * The raw value of {@code key}, or null when absent (for nested settings such as a head's lexical
   * layer).
   */
  public JsonNode node(String key) {
    return root.get(key);
  }

  public boolean has(String key) {
    return root.hasNonNull(key);
  }

  /**
   * Labels from {@code id2label}, in index order; empty when absent. Indices must be 0..n-1 with no
   * gaps, otherwise logits could not be named.
   */
  public List<String> id2label() {
    JsonNode m = root.get("id2label");
    if (m == null || !m.isObject() || m.size() == 0) {
      return List.of();
    }
    return LabelSet.indexToLabel(m, source, "id2label").labels();
  }

  public Optional<Integer> numLabels() {
    JsonNode n = root.get("num_labels");
    return n == null || !n.canConvertToInt() ? Optional.empty() : Optional.of(n.asInt());
  }

  public List<String> keys() {
    List<String> out = new ArrayList<>();
    root.fieldNames().forEachRemaining(out::add);
    return out;
  }
}

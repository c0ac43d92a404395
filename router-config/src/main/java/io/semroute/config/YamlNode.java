package io.semroute.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A SnakeYAML node plus where it sits: file, line and dotted key path. We read the composed node
 * tree instead of plain maps precisely so that every error can point at a line.
 *
 * <p>A {@code YamlNode} whose {@link #node} is null stands for a key that is absent (or explicitly
 * {@code null}); it remembers the parent's line so "missing key" errors still point somewhere.
 */
final class YamlNode {
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z0-9_\\-]+");

  private final Path file;
  private final String path;
  private final Node node;
  private final int fallbackLine;

  private YamlNode(Path file, String path, Node node, int fallbackLine) {
    this.file = file;
    this.path = path;
    this.node = isNull(node) ? null : node;
    this.fallbackLine = fallbackLine;
  }

  static YamlNode root(Path file, Node node) {
    return new YamlNode(file, "", node, 1);
  }

  private static boolean isNull(Node n) {
    return n == null || (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
  }

  String path() {
    return path;
  }

  /** 1-based line of this node, or of its parent when absent. */
  int line() {
    return node == null ? fallbackLine : node.getStartMark().getLine() + 1;
  }

  boolean isPresent() {
    return node != null;
  }

  boolean isScalar() {
    return node instanceof ScalarNode;
  }

  boolean isMapping() {
    return node instanceof MappingNode;
  }

  ConfigException error(String problem) {
    return new ConfigException(file, line(), path, problem);
  }

  // ---- mappings -------------------------------------------------------------------------

  /**
   * The entries of a mapping, keyed by their (string) key, in file order. Rejects duplicate keys
   * (SnakeYAML would silently keep the last one) and keys outside {@code allowed} (typos must never
   * be silently ignored). {@code allowed == null} means any key (a map of names).
   */
  Map<String, YamlNode> entries(Set<String> allowed) {
    MappingNode mapping = requireMapping();
    Map<String, YamlNode> out = new LinkedHashMap<>();
    Map<String, Integer> keyLines = new HashMap<>();
    for (NodeTuple t : flattenMerges(mapping)) {
      Node keyNode = t.getKeyNode();
      int keyLine = keyNode.getStartMark().getLine() + 1;
      if (!(keyNode instanceof ScalarNode keyScalar) || isNull(keyNode)) {
        throw new ConfigException(file, keyLine, path, "keys must be plain strings");
      }
      String key = keyScalar.getValue();
      String childPath = childPath(key);
      if (allowed != null && !allowed.contains(key)) {
        throw new ConfigException(
            file,
            keyLine,
            childPath,
            "unknown key '" + key + "'" + Suggestions.validChoices(key, allowed, "valid keys"));
      }
      Integer firstLine = keyLines.putIfAbsent(key, keyLine);
      if (firstLine != null) {
        throw new ConfigException(
            file, keyLine, childPath, "duplicate key (first defined on line " + firstLine + ")");
      }
      out.put(key, new YamlNode(file, childPath, t.getValueNode(), keyLine));
    }
    return out;
  }

  /** A child of a mapping, absent-aware; call after {@link #entries} has validated the keys. */
  static YamlNode child(Map<String, YamlNode> entries, YamlNode parent, String key) {
    YamlNode found = entries.get(key);
    return found != null
        ? found
        : new YamlNode(parent.file, parent.childPath(key), null, parent.line());
  }

  /** Resolves YAML merge keys ({@code <<: *anchor}) so shared blocks via anchors work. */
  private List<NodeTuple> flattenMerges(MappingNode mapping) {
    List<NodeTuple> own = new ArrayList<>();
    List<NodeTuple> merged = new ArrayList<>();
    for (NodeTuple t : mapping.getValue()) {
      if (t.getKeyNode().getTag().equals(Tag.MERGE)) {
        Node v = t.getValueNode();
        List<Node> sources = v instanceof SequenceNode seq ? seq.getValue() : List.of(v);
        for (Node src : sources) {
          if (!(src instanceof MappingNode m)) {
            throw new ConfigException(
                file, src.getStartMark().getLine() + 1, path, "'<<' merge needs a mapping");
          }
          merged.addAll(flattenMerges(m));
        }
      } else {
        own.add(t);
      }
    }
    if (merged.isEmpty()) {
      return own;
    }
    // Explicit keys win over merged ones; merged keys the mapping already has are dropped.
    Set<String> ownKeys = new HashSet<>();
    for (NodeTuple t : own) {
      if (t.getKeyNode() instanceof ScalarNode s) {
        ownKeys.add(s.getValue());
      }
    }
    List<NodeTuple> result = new ArrayList<>(own);
    Set<String> seen = new HashSet<>();
    for (NodeTuple t : merged) {
      if (t.getKeyNode() instanceof ScalarNode s
          && !ownKeys.contains(s.getValue())
          && seen.add(s.getValue())) {
        result.add(t);
      }
    }
    return result;
  }

  private MappingNode requireMapping() {
    if (node instanceof MappingNode m) {
      return m;
    }
    throw error("expected a mapping (key: value pairs), found " + describe());
  }

  private String childPath(String key) {
    String k = SIMPLE_NAME.matcher(key).matches() ? key : "\"" + key + "\"";
    if (path.isEmpty()) {
      return k;
    }
    return SIMPLE_NAME.matcher(key).matches() ? path + "." + k : path + "[" + k + "]";
  }

  // ---- sequences ------------------------------------------------------------------------

  /** Items of a sequence; an absent node is an empty list. */
  List<YamlNode> items() {
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof SequenceNode seq)) {
      throw error("expected a list, found " + describe());
    }
    List<YamlNode> out = new ArrayList<>();
    List<Node> values = seq.getValue();
    for (int i = 0; i < values.size(); i++) {
      out.add(new YamlNode(file, path + "[" + i + "]", values.get(i), line()));
    }
    return out;
  }

  /** A list of non-empty strings; an absent node is an empty list. */
  List<String> stringList() {
    List<String> out = new ArrayList<>();
    for (YamlNode item : items()) {
      out.add(requiredString(item));
    }
    return out;
  }

  // ---- scalars --------------------------------------------------------------------------

  /** The text of a scalar, or {@code dflt} when absent. Blank strings are rejected. */
  String string(String dflt) {
    if (node == null) {
      return dflt;
    }
    return requiredString(this);
  }

  String requiredString() {
    if (node == null) {
      throw missing();
    }
    return requiredString(this);
  }

  private static String requiredString(YamlNode n) {
    if (n.node == null) {
      throw n.error("must not be empty");
    }
    if (!(n.node instanceof ScalarNode s)) {
      throw n.error("expected a text value, found " + n.describe());
    }
    if (s.getValue().isBlank()) {
      throw n.error("must not be empty");
    }
    return s.getValue();
  }

  /** A closed-set value, compared case-insensitively, returned in lower case. */
  String choice(String dflt, List<String> choices) {
    String v = string(dflt);
    if (v == null) {
      return null;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    if (!choices.contains(lower)) {
      throw error(
          "invalid value '" + v + "'" + Suggestions.validChoices(v, choices, "valid values"));
    }
    return lower;
  }

  int integer(int dflt, int min, int max) {
    return (int) longInteger(dflt, min, max);
  }

  /** A whole number that may exceed an int (token budgets per day). */
  long longInteger(long dflt, long min, long max) {
    if (node == null) {
      return dflt;
    }
    ScalarNode s = scalar("a whole number");
    if (!s.getTag().equals(Tag.INT)) {
      throw error("expected a whole number, found '" + s.getValue() + "'");
    }
    long v;
    try {
      v = Long.parseLong(s.getValue().replace("_", ""));
    } catch (NumberFormatException e) {
      throw error("expected a whole number, found '" + s.getValue() + "'");
    }
    if (v < min || v > max) {
      throw error("must be between " + min + " and " + max + ", found " + v);
    }
    return v;
  }

  double number(double dflt, double min, double max) {
    if (node == null) {
      return dflt;
    }
    ScalarNode s = scalar("a number");
    if (!s.getTag().equals(Tag.INT) && !s.getTag().equals(Tag.FLOAT)) {
      throw error("expected a number, found '" + s.getValue() + "'");
    }
    double v;
    try {
      v = Double.parseDouble(s.getValue().replace("_", ""));
    } catch (NumberFormatException e) {
      throw error("expected a number, found '" + s.getValue() + "'");
    }
    if (!(v >= min && v <= max)) {
      throw error("must be between " + fmt(min) + " and " + fmt(max) + ", found " + s.getValue());
    }
    return v;
  }

  boolean bool(boolean dflt) {
    if (node == null) {
      return dflt;
    }
    ScalarNode s = scalar("true or false");
    if (!s.getTag().equals(Tag.BOOL)) {
      throw error("expected true or false, found '" + s.getValue() + "'");
    }
    String v = s.getValue().toLowerCase(Locale.ROOT);
    return v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("y");
  }

  private ScalarNode scalar(String expected) {
    if (node instanceof ScalarNode s) {
      return s;
    }
    throw error("expected " + expected + ", found " + describe());
  }

  ConfigException missing() {
    return new ConfigException(file, line(), path, "required key is missing");
  }

  private String describe() {
    if (node == null) {
      return "nothing";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "'" + ((ScalarNode) node).getValue() + "'";
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}

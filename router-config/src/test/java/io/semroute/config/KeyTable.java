package io.semroute.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "Keys" table of docs/configuration.md as a tree: each row's key path ({@code
 * categories[].model_scores[].score}, {@code models.<name>.pricing}) adds its key to the mapping
 * above it. {@code name[]} is a list of mappings, {@code <name>} any name of a map of names.
 */
final class KeyTable {
  private static final String SECTION = "## Keys";

  /** A row: group 1 the key path in the first cell, group 2 the type cell. */
  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (.*?) \\| ");

  /** One step of a key path. */
  record Segment(String key, boolean list, boolean placeholder) {
    static Segment of(String text) {
      if (text.startsWith("<") && text.endsWith(">")) {
        return new Segment(text, false, true);
      }
      boolean list = text.endsWith("[]");
      return new Segment(list ? text.substring(0, text.length() - 2) : text, list, false);
    }
  }

  private final Map<String, Set<String>> keysByMapping = new LinkedHashMap<>();
  private final Set<String> nameMaps = new LinkedHashSet<>();
  private final Map<String, String> types = new LinkedHashMap<>();

  private KeyTable() {}

  static KeyTable read(Path doc) throws IOException {
    List<String> lines = Files.readAllLines(doc);
    int start = lines.indexOf(SECTION);
    if (start < 0) {
      throw new IllegalStateException("no \"" + SECTION + "\" section in " + doc);
    }
    KeyTable table = new KeyTable();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        table.add(m.group(1), m.group(2).trim());
      }
    }
    if (table.types.isEmpty()) {
      throw new IllegalStateException("no key rows under \"" + SECTION + "\" in " + doc);
    }
    return table;
  }

  private void add(String path, String type) {
    types.put(path, type);
    String[] parts = path.split("\\.");
    String parent = "";
    for (String part : parts) {
      if (Segment.of(part).placeholder()) {
        nameMaps.add(parent);
      } else {
        keysByMapping
            .computeIfAbsent(parent, k -> new LinkedHashSet<>())
            .add(Segment.of(part).key());
      }
      parent = parent.isEmpty() ? part : parent + "." + part;
    }
  }

  static List<Segment> segments(String path) {
    List<Segment> out = new ArrayList<>();
    if (!path.isEmpty()) {
      for (String part : path.split("\\.")) {
        out.add(Segment.of(part));
      }
    }
    return out;
  }

  /** Key paths of the mappings with fixed keys (not maps of names), the top level as "". */
  List<String> mappings() {
    List<String> out = new ArrayList<>();
    for (String m : keysByMapping.keySet()) {
      if (!nameMaps.contains(m)) {
        out.add(m);
      }
    }
    return out;
  }

  Set<String> keysOf(String mapping) {
    return keysByMapping.getOrDefault(mapping, Set.of());
  }

  /** Rows with no rows below them: documented as one value. */
  List<String> leaves() {
    List<String> out = new ArrayList<>();
    for (String path : types.keySet()) {
      if (!keysByMapping.containsKey(path) && !nameMaps.contains(path)) {
        out.add(path);
      }
    }
    return out;
  }

  String typeOf(String path) {
    return types.getOrDefault(path, "");
  }
}

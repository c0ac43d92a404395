package io.semroute.config;

import java.util.HashMap;
import java.util.Map;

/**
 * The names of one list's entries (backends, categories, decisions): each must be new, and a
 * repeated one is an error at its line that also names the line of the first.
 */
final class UniqueNames {
  private final String what;
  private final Map<String, Integer> firstLines = new HashMap<>();

  /**
   * @param what the kind of entry, for the message ("backend", "category", ...)
   */
  UniqueNames(String what) {
    this.what = what;
  }

  /** The required name at {@code nameNode}, after checking it was not used before. */
  String take(YamlNode nameNode) {
    String name = nameNode.requiredString();
    Integer first = firstLines.putIfAbsent(name, nameNode.line());
    if (first != null) {
      throw nameNode.error(
          "duplicate " + what + " name '" + name + "' (first defined on line " + first + ")");
    }
    return name;
  }
}

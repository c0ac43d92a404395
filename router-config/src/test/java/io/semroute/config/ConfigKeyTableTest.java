package io.semroute.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.semroute.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The key table of docs/configuration.md names exactly the keys the reader accepts. The keys are
 * not copied here: for every mapping the table documents (the top level, {@code
 * classifier.jailbreak}, {@code backends[]}, ...) the test puts an unknown key into that mapping of
 * the root config.yaml and reads the reader's own "valid keys" list from the error. A key the
 * reader accepts without a row, or a row naming a key the reader rejects, fails.
 */
class ConfigKeyTableTest {
  private static final String DOC = "docs/configuration.md";
  private static final String PROBE = "zz_probe_key";
  private static final Pattern UNKNOWN_PROBE =
      Pattern.compile(
          "unknown key '" + PROBE + "'(?:; did you mean '[^']*'\\?)?;? valid keys: (.*)$");

  private static KeyTable table;
  private static Path rootConfig;

  @BeforeAll
  static void readTheTable() throws IOException {
    table = KeyTable.read(Fixtures.repo(DOC));
    rootConfig = Fixtures.repo("config.yaml");
  }

  @Test
  void theProbesStartFromAConfigThatLoads() throws IOException {
    assertThat(ConfigLoader.parse(new Yaml().dump(rootConfigTree()), rootConfig).defaultModel())
        .isNotBlank();
    assertThat(table.mappings()).contains("", "listeners", "backends[]", "classifier.jailbreak");
  }

  @Test
  void everyDocumentedMappingHasExactlyTheKeysTheReaderAccepts() throws IOException {
    SoftAssertions soft = new SoftAssertions();
    for (String mapping : table.mappings()) {
      Map<String, Object> tree = rootConfigTree();
      mappingAt(tree, KeyTable.segments(mapping)).put(PROBE, 1);
      String error = loadError(tree);
      Matcher m = UNKNOWN_PROBE.matcher(error);
      if (!m.find()) {
        soft.fail(
            "%s documents keys under %s, but the reader does not check keys there: %s",
            DOC, describe(mapping), error);
        continue;
      }
      Set<String> accepted = new LinkedHashSet<>(Arrays.asList(m.group(1).split(", ")));
      soft.assertThat(table.keysOf(mapping))
          .as("rows of %s under %s vs the keys the reader accepts there", DOC, describe(mapping))
          .containsExactlyInAnyOrderElementsOf(accepted);
    }
    soft.assertAll();
  }

  @Test
  void noRowDocumentsAMappingAsASingleValue() throws IOException {
    SoftAssertions soft = new SoftAssertions();
    for (String leaf : table.leaves()) {
      if (table.typeOf(leaf).equals("condition")) {
        continue; // `not:` takes a condition: its keys are the rows under decisions[].when
      }
      List<KeyTable.Segment> path = KeyTable.segments(leaf);
      Map<String, Object> tree = rootConfigTree();
      Map<String, Object> parent = mappingAt(tree, path.subList(0, path.size() - 1));
      KeyTable.Segment last = path.get(path.size() - 1);
      Map<String, Object> probe = new LinkedHashMap<>(Map.of(PROBE, 1));
      parent.put(
          last.placeholder() ? firstKey(parent) : last.key(),
          last.list() ? new ArrayList<>(List.of(probe)) : probe);
      soft.assertThat(loadError(tree))
          .as("%s documents %s as one value, but the reader takes keys under it", DOC, leaf)
          .doesNotContain("unknown key '" + PROBE + "'");
    }
    soft.assertAll();
  }

  /** The error message loading {@code tree} gives, or "loaded" when it loads. */
  private static String loadError(Map<String, Object> tree) {
    try {
      ConfigLoader.parse(new Yaml().dump(tree), rootConfig);
      return "loaded";
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }

  private static Map<String, Object> rootConfigTree() throws IOException {
    return asMap(new Yaml().load(Files.readString(rootConfig)));
  }

  /**
   * The mapping at {@code path} in {@code tree}, made when absent: a list's first item, a map of
   * names' first entry (the root config's model, family, ...), or a plain key's value.
   */
  private static Map<String, Object> mappingAt(
      Map<String, Object> tree, List<KeyTable.Segment> path) {
    Map<String, Object> current = tree;
    for (KeyTable.Segment s : path) {
      String key = s.placeholder() ? firstKey(current) : s.key();
      Object value = current.get(key);
      if (s.list()) {
        List<Object> items =
            value instanceof List<?> && !((List<?>) value).isEmpty()
                ? asList(value)
                : new ArrayList<>(List.of(new LinkedHashMap<String, Object>()));
        if (!(items.get(0) instanceof Map)) {
          items.set(0, new LinkedHashMap<String, Object>());
        }
        current.put(key, items);
        current = asMap(items.get(0));
      } else {
        if (!(value instanceof Map)) {
          value = new LinkedHashMap<String, Object>();
          current.put(key, value);
        }
        current = asMap(value);
      }
    }
    return current;
  }

  private static String firstKey(Map<String, Object> names) {
    return names.isEmpty() ? "probe_name" : names.keySet().iterator().next();
  }

  private static String describe(String mapping) {
    return mapping.isEmpty() ? "the top level" : "'" + mapping + "'";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    if (!(o instanceof Map)) {
      fail("expected a mapping, found " + o);
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> asList(Object o) {
    return (List<Object>) o;
  }
}

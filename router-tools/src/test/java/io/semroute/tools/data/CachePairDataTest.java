package io.semroute.tools.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.testkit.Fixtures;
import io.semroute.testkit.QualityTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic cache's question pairs: reproducible, enough near misses of every kind on the
 * held-out side, no source question or intent on both sides, one change per near miss.
 */
@QualityTest
class CachePairDataTest {
  private static final Path DATA = Fixtures.sharedData("README.md").getParent();

  @TempDir Path a;
  @TempDir Path b;

  @Test
  void pairsAreSeededSplitBySourceAndChangeOneThing() throws Exception {
    Map<String, Integer> counts = new CachePairData(DATA, 42).write(a);
    new CachePairData(DATA, 42).write(b);
    assertThat(Files.readAllLines(a.resolve("cache_pairs.jsonl")))
        .isEqualTo(Files.readAllLines(b.resolve("cache_pairs.jsonl")));
    int testNearMisses = 0;
    for (String kind : CachePairData.KINDS) {
      assertThat(counts.getOrDefault(kind + " dev", 0)).as(kind).isGreaterThanOrEqualTo(20);
      assertThat(counts.getOrDefault(kind + " test", 0)).as(kind).isGreaterThanOrEqualTo(20);
      testNearMisses += counts.get(kind + " test");
    }
    assertThat(testNearMisses).isGreaterThanOrEqualTo(150);

    List<JsonNode> rows = Jsonl.read(a.resolve("cache_pairs.jsonl"));
    Set<String> devSources = new HashSet<>();
    Set<String> testSources = new HashSet<>();
    for (JsonNode r : rows) {
      String from =
          r.get("same_answer").asBoolean() ? r.get("intent").asText() : r.get("a").asText();
      (r.get("split").asText().equals("dev") ? devSources : testSources).add(from);
      if (!r.get("same_answer").asBoolean()) {
        String[] change = r.get("change").asText().split(" → ");
        assertThat(oneSwap(r.get("a").asText(), r.get("b").asText(), change[0], change[1]))
            .as("%s | %s: the only change is %s", r.get("a"), r.get("b"), r.get("change"))
            .isTrue();
      }
    }
    devSources.retainAll(testSources);
    assertThat(devSources).as("on both sides").isEmpty();
  }

  /** Whether {@code b} is {@code a} with one occurrence of {@code from} replaced by {@code to}. */
  static boolean oneSwap(String a, String b, String from, String to) {
    String la = a.toLowerCase(Locale.ROOT);
    String lb = b.toLowerCase(Locale.ROOT);
    for (int i = la.indexOf(from.toLowerCase(Locale.ROOT));
        i >= 0;
        i = la.indexOf(from.toLowerCase(Locale.ROOT), i + 1)) {
      if (lb.equals(
          la.substring(0, i) + to.toLowerCase(Locale.ROOT) + la.substring(i + from.length()))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aTermIsSwappedWithinItsGroupKeepingItsCapital() {
    CachePairData.Change c =
        CachePairData.changeTerm(
            "Is Paris closer to the sea than Rome?", "direction", new Random(1));
    assertThat(c.text()).isEqualTo("Is Paris farther to the sea than Rome?");
    assertThat(CachePairData.changeTerm("Given $A \\cup B$", "unit", new Random(1))).isNull();
    assertThat(CachePairData.changeNumber("Is 91 prime?").text()).isEqualTo("Is 113 prime?");
    assertThat(CachePairData.changeNumber("What is 1,000 plus two?").text())
        .isEqualTo("What is 1,000 plus three?");
  }
}

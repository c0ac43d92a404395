package io.semroute.tools.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.testkit.Fixtures;
import io.semroute.testkit.QualityTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task-type data set: reproducible, every label on every side, no text in two splits, MT-Bench
 * kept out.
 */
@QualityTest
class TaskTypeDataTest {
  private static final Path DATA = Fixtures.sharedData("README.md").getParent();

  @TempDir Path a;
  @TempDir Path b;

  @Test
  void splitsAreSeededDisjointAndCoverEveryLabel() throws Exception {
    new TaskTypeData(DATA, 42).write(a);
    new TaskTypeData(DATA, 42).write(b);
    for (String f :
        List.of("task_type_train.jsonl", "task_type_dev.jsonl", "task_type_test.jsonl")) {
      assertThat(Files.readAllLines(a.resolve(f))).isEqualTo(Files.readAllLines(b.resolve(f)));
      Set<String> labels =
          Jsonl.readLabeled(a.resolve(f)).stream()
              .map(LabeledText::label)
              .collect(Collectors.toSet());
      assertThat(labels).as(f).containsExactlyInAnyOrderElementsOf(TaskTypeData.LABELS);
    }
    Set<String> train = texts(a.resolve("task_type_train.jsonl"));
    Set<String> test = texts(a.resolve("task_type_test.jsonl"));
    Set<String> mt = texts(a.resolve("task_type_mtbench_eval.jsonl"));
    assertThat(intersection(train, test)).isEmpty();
    assertThat(intersection(train, mt)).isEmpty();
    assertThat(mt).hasSize(60);
  }

  @Test
  void templateSlotsNameTheSamePersonTwice() {
    Random r = new Random(1);
    for (String p : TaskTypeData.PUZZLE.generate(r, 200)) {
      assertThat(p).doesNotContain("{");
    }
    String older =
        TaskTypeData.PUZZLE.generate(new Random(3), 500).stream()
            .filter(p -> p.contains(" is older than "))
            .findFirst()
            .orElseThrow();
    String first = older.substring(0, older.indexOf(' '));
    assertThat(older).contains("older than " + first + "?");
  }

  private static Set<String> texts(Path f) {
    return Jsonl.readLabeled(f).stream().map(LabeledText::text).collect(Collectors.toSet());
  }

  private static Set<String> intersection(Set<String> x, Set<String> y) {
    Set<String> out = new HashSet<>(x);
    out.retainAll(y);
    return out;
  }
}

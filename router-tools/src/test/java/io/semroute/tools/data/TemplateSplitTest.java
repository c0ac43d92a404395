package io.semroute.tools.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.testkit.Fixtures;
import io.semroute.testkit.QualityTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

@QualityTest
class TemplateSplitTest {

  @Test
  void splitKeepsEachTemplateOnOneSideAndIsReproducible() {
    List<SpanExample> rows = Jsonl.readSpans(Fixtures.sharedData("pii/train_spans.jsonl"));
    TemplateSplit.Result a = TemplateSplit.split(rows, 0.2, 42);
    TemplateSplit.Result b = TemplateSplit.split(rows, 0.2, 42);
    TemplateSplit.Result c = TemplateSplit.split(rows, 0.2, 7);

    assertThat(a.train().size() + a.heldOut().size()).isEqualTo(rows.size());
    Set<Integer> trainIds = new HashSet<>();
    a.train().forEach(r -> trainIds.add(r.templateId()));
    assertThat(a.heldOut()).allSatisfy(r -> assertThat(trainIds).doesNotContain(r.templateId()));
    assertThat(a.heldOutTemplates()).isEqualTo(b.heldOutTemplates());
    assertThat(a.heldOutTemplates()).isNotEqualTo(c.heldOutTemplates());
    long distinct = rows.stream().map(SpanExample::templateId).distinct().count();
    assertThat(a.heldOutTemplates()).hasSize((int) Math.round(distinct * 0.2));
  }

  @Test
  void readerNamesFileAndRowOfBadSpans(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(
        f,
        "{\"text\":\"abc\",\"spans\":[]}\n{\"text\":\"abc\",\"spans\":[{\"start\":2,\"end\":9,\"label\":\"X\"}]}\n");
    Assertions.assertThatThrownBy(() -> Jsonl.readSpans(f))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("bad.jsonl")
        .hasMessageContaining("row 2");
  }
}

package io.semroute.tools.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.semroute.testkit.Fixtures;
import io.semroute.testkit.QualityTest;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QualityTest
class TemplateFoldsTest {

  @Test
  void everyTemplateIsScoredInExactlyOneFoldAndNeverTrainedOnThere() {
    List<SpanExample> rows = Jsonl.readSpans(Fixtures.sharedData("pii/train_spans.jsonl"));
    List<TemplateSplit.Result> folds = TemplateFolds.split(rows, 4, 44);

    assertThat(folds).hasSize(4);
    Set<Integer> seen = new HashSet<>();
    int scoredRows = 0;
    for (TemplateSplit.Result f : folds) {
      assertThat(f.train().size() + f.heldOut().size()).isEqualTo(rows.size());
      Set<Integer> trainIds = new HashSet<>();
      f.train().forEach(r -> trainIds.add(r.templateId()));
      assertThat(f.heldOut()).allSatisfy(r -> assertThat(trainIds).doesNotContain(r.templateId()));
      for (int id : f.heldOutTemplates()) {
        assertThat(seen.add(id)).as("template %d in two folds", id).isTrue();
      }
      scoredRows += f.heldOut().size();
    }
    assertThat(seen).hasSize((int) rows.stream().map(SpanExample::templateId).distinct().count());
    assertThat(scoredRows).isEqualTo(rows.size());
    int min = folds.stream().mapToInt(f -> f.heldOutTemplates().size()).min().orElseThrow();
    int max = folds.stream().mapToInt(f -> f.heldOutTemplates().size()).max().orElseThrow();
    assertThat(max - min).isLessThanOrEqualTo(1);
    assertThat(TemplateFolds.split(rows, 4, 44).get(2).heldOutTemplates())
        .isEqualTo(folds.get(2).heldOutTemplates());
    assertThatThrownBy(() -> TemplateFolds.split(rows, 1, 44))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void foldFilesNeverTouchHeldOutTemplatesAndGenerateOnlyFromTheirTrainingTemplates(
      @TempDir Path dir) {
    DatasetAssembler assembler =
        new DatasetAssembler(Fixtures.sharedData("README.md").getParent(), 42);
    DatasetAssembler.Pii pii = assembler.pii();
    Set<Integer> heldOut = new HashSet<>();
    pii.heldOut().forEach(r -> heldOut.add(r.templateId()));

    assembler.writePiiFolds(dir, 3, 300);

    Set<Integer> scored = new HashSet<>();
    for (int k = 0; k < 3; k++) {
      List<SpanExample> train = Jsonl.readSpans(dir.resolve("pii_cv" + k + "_train.jsonl"));
      List<SpanExample> dev = Jsonl.readSpans(dir.resolve("pii_cv" + k + "_dev.jsonl"));
      Set<Integer> devIds = new HashSet<>();
      dev.forEach(r -> devIds.add(r.templateId()));
      scored.addAll(devIds);
      assertThat(devIds).doesNotContainAnyElementsOf(heldOut);
      assertThat(train).allSatisfy(r -> assertThat(devIds).doesNotContain(r.templateId()));
      assertThat(train).allSatisfy(r -> assertThat(heldOut).doesNotContain(r.templateId()));
      assertThat(train.size()).isEqualTo(pii.train().size() + pii.dev().size() - dev.size() + 300);
    }
    Set<Integer> trainDev = new HashSet<>();
    pii.train().forEach(r -> trainDev.add(r.templateId()));
    pii.dev().forEach(r -> trainDev.add(r.templateId()));
    assertThat(scored).isEqualTo(trainDev);
  }
}

package io.semroute.extproc.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real (tiny, random-weight) ModernBERT classifier from ../shared/golden behind the interface. */
class SequenceClassifierAdapterTest {
  @Test
  void modelResultsBecomeClassifications() {
    String shared = System.getProperty("shared.dir");
    assertThat(shared).as("system property shared.dir (set by surefire) must point at ../shared").isNotNull();
    Path dir = Path.of(shared, "golden", "modernbert", "seq-cls-mean");
    assertThat(Files.isDirectory(dir)).as(dir + " is missing").isTrue();
    try (SequenceClassifier model = SequenceClassifier.open(dir)) {
      Classifier classifier = new SequenceClassifierAdapter(model);
      for (String text : List.of("t462 t1015 t44", "t5 t6 t7 t8 t9 t10")) {
        SequenceClassification direct = model.classify(text);
        Classification c = classifier.classify(text);
        assertThat(c.category()).isEqualTo(direct.label());
        assertThat(c.confidence()).isCloseTo(direct.confidence(), offset(1e-6));
        assertThat(c.scores()).containsOnlyKeys("LABEL_0", "LABEL_1", "LABEL_2", "LABEL_3", "LABEL_4");
        assertThat(c.scores().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, offset(1e-4));
        assertThat(c.scores().get(c.category())).isCloseTo(c.confidence(), offset(1e-6));
      }
    }
  }
}

package io.semroute.extproc.classifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.extproc.decision.Classification;
import io.semroute.extproc.decision.Classifier;
import io.semroute.testkit.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real (tiny, random-weight) ModernBERT classifier from the golden fixtures behind the interface,
 * through its micro-batcher.
 */
class LoadedSequenceClassifierTest {
  @Test
  void modelResultsBecomeClassifications() {
    Path dir = Fixtures.golden("modernbert/seq-cls-mean");
    SequenceClassifier model = ClassifierRegistry.openSequence(dir, LoadOptions.DEFAULT);
    try (LoadedSequenceClassifier batched =
        new LoadedSequenceClassifier("test", model, BatchPolicy.defaults())) {
      Classifier classifier = batched;
      for (String text : List.of("t462 t1015 t44", "t5 t6 t7 t8 t9 t10")) {
        SequenceClassification direct = model.classify(text);
        Classification c = classifier.classify(text);
        assertThat(c.category()).isEqualTo(direct.label());
        assertThat(c.confidence()).isCloseTo(direct.confidence(), offset(1e-6));
        assertThat(c.scores())
            .containsOnlyKeys("LABEL_0", "LABEL_1", "LABEL_2", "LABEL_3", "LABEL_4");
        assertThat(c.scores().values().stream().mapToDouble(Double::doubleValue).sum())
            .isCloseTo(1.0, offset(1e-4));
        assertThat(c.scores().get(c.category())).isCloseTo(c.confidence(), offset(1e-6));
      }
      // Several texts queued at once (one batch) give the same answers as one by one.
      List<Classification> both =
          classifier.classifyAll(List.of("t462 t1015 t44", "t5 t6 t7 t8 t9 t10"));
      assertThat(both.get(1).category()).isEqualTo(model.classify("t5 t6 t7 t8 t9 t10").label());
      assertThat(both.get(0).confidence())
          .isCloseTo(model.classify("t462 t1015 t44").confidence(), offset(1e-5));
    }
  }
}

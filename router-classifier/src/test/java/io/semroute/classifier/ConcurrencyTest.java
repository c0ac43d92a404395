package io.semroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** One loaded model serves several threads at once with the same answers as one thread. */
class ConcurrencyTest {

  @Test
  void parallelCallersGetTheSameLogitsAsASingleCaller() throws Exception {
    List<String> texts =
        List.of(
            "t5 t6 t7 t8 t9 t10 t11 t12 t13 t14",
            "t900 t901",
            "t44 t45 t46 t47 t48 t49 t50 t51 t52 t53 t54 t55 t56");
    try (SequenceClassifier c =
        ClassifierRegistry.openSequence(
            Fixtures.golden("modernbert/seq-cls-cls"),
            LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU))) {
      List<SequenceClassification> want = c.classify(texts);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<SequenceClassification>>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          int k = i % texts.size();
          futures.add(pool.submit(() -> c.classify(List.of(texts.get(k)))));
        }
        for (int i = 0; i < futures.size(); i++) {
          SequenceClassification got = futures.get(i).get().get(0);
          float[] expected = want.get(i % texts.size()).logits();
          for (int l = 0; l < expected.length; l++) {
            assertThat(got.logits()[l]).isCloseTo(expected[l], Assertions.within(1e-5f));
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}

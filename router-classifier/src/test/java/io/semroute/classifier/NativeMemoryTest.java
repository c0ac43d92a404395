package io.semroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every call's native arrays are released with its batch; the weights manager does not grow. */
class NativeMemoryTest {

  @Test
  void repeatedCallsLeaveNoArraysBehind() {
    try (TokenClassifier c =
        ClassifierRegistry.openToken(
            Fixtures.golden("modernbert/token-cls"),
            LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU))) {
      NDManager weights = c.encoder().encoder().parameters().manager();
      c.classify(List.of("t5 t6 t7 t8 t9 t10 t11 t12 t13 t14 t15", "t5"));
      int baseline = weights.getManagedArrays().size();
      for (int i = 0; i < 50; i++) {
        c.classify(
            List.of("t5 t6 t7 t8 t9 t10 t11 t12 t13 t14 t15 t16 t17", "t9 t10", "t" + (4 + i)));
        try (EncodedBatch b = c.encoder().encode(List.of("t7 t8 t9"))) {
          c.classify(b);
        }
      }
      assertThat(weights.getManagedArrays().size()).isEqualTo(baseline);
    }
  }
}

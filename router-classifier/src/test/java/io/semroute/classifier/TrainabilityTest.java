package io.semroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.text.TokenizedText;
import io.semroute.classifier.weights.Parameters;
import io.semroute.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What head training relies on: parameters marked as requiring gradients receive them through the
 * same forward code inference uses, while inference itself records nothing.
 */
class TrainabilityTest {

  @Test
  void gradientsFlowIntoMarkedParametersOnly() {
    try (SequenceClassifier c =
        ClassifierRegistry.openSequence(
            Fixtures.golden("modernbert/seq-cls-mean"),
            LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU))) {
      Parameters p = c.encoder().encoder().parameters();
      NDArray classifier = p.get("classifier.weight");
      NDArray finalNorm = p.get("model.final_norm.weight");
      classifier.setRequiresGradient(true);
      finalNorm.setRequiresGradient(true);

      // inference with trainable parameters still works and gives the same answer as before
      SequenceClassification before = c.classify("t5 t6 t7");
      assertThat(before.logits()).hasSize(5);

      List<TokenizedText> batch = c.encoder().tokenize(List.of("t5 t6 t7", "t100 t200"));
      try (NDManager m = p.manager().newSubManager();
          GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
        NDArray[] in = TextEncoder.inputs(m, batch, c.encoder().encoder().padTokenId());
        NDArray hidden = c.encoder().encoder().forward(in[0], in[1]);
        NDArray logits = c.head().logits(hidden, in[1]);
        // loss = sum over the batch of logit 0: only row 0 of the classifier gets a gradient
        gc.backward(logits.get(":, 0").sum());
      }
      float[] g = classifier.getGradient().toFloatArray();
      int h = 64;
      double row0 = 0;
      double others = 0;
      for (int i = 0; i < g.length; i++) {
        if (i < h) {
          row0 += Math.abs(g[i]);
        } else {
          others += Math.abs(g[i]);
        }
      }
      assertThat(row0).isPositive();
      assertThat(others).isZero();
      double normGrad = 0;
      for (float f : finalNorm.getGradient().toFloatArray()) {
        normGrad += Math.abs(f);
      }
      assertThat(normGrad).as("gradient reaches into the encoder").isPositive();

      SequenceClassification after = c.classify("t5 t6 t7");
      assertThat(after.logits()).containsExactly(before.logits());
    }
  }
}

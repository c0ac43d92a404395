package io.semroute.tools.train;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.encoder.bert.BertEncoder;
import io.semroute.classifier.weights.Float16;
import io.semroute.classifier.weights.Parameters;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fine-tuned encoder layers as they are stored in a model folder: under the base encoder's
 * checkpoint names ({@code encoder.layer.5.attention.self.query.weight} ...), query, key and value
 * separate, so the loader can hand them to {@link io.semroute.classifier.BuiltinEncoder} in place
 * of the originals. {@link BertEncoder} itself keeps q/k/v fused; the split happens here.
 */
public final class EncoderLayers {

  /** One tensor to store: values (row-major) and shape. */
  public record Tensor(float[] values, long[] shape) {}

  private EncoderLayers() {}

  /** The current values of the given layers under their checkpoint names. */
  public static Map<String, Tensor> export(BertEncoder encoder, List<Integer> layers) {
    Parameters params = encoder.parameters();
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i : layers) {
      List<String> names = encoder.layerParameterNames(i);
      List<String> stored = BertEncoder.checkpointNames(i);
      float[] qkvW = Ops.noGrad(() -> params.get(names.get(0)).toFloatArray());
      float[] qkvB = Ops.noGrad(() -> params.get(names.get(1)).toFloatArray());
      int h = qkvB.length / 3;
      for (int part = 0; part < 3; part++) {
        out.put(
            stored.get(2 * part),
            new Tensor(
                Arrays.copyOfRange(qkvW, part * h * h, (part + 1) * h * h), new long[] {h, h}));
        out.put(
            stored.get(2 * part + 1),
            new Tensor(Arrays.copyOfRange(qkvB, part * h, (part + 1) * h), new long[] {h}));
      }
      // the remaining ten tensors are in the same order in both lists
      for (int k = 2; k < names.size(); k++) {
        NDArray a = params.get(names.get(k));
        out.put(
            stored.get(k + 4), new Tensor(Ops.noGrad(a::toFloatArray), a.getShape().getShape()));
      }
    }
    return out;
  }

  /**
   * Rounds the given layers' weights in place to what float16 storage keeps, so the features the
   * rest of training sees are exactly those the loaded model computes.
   */
  public static void roundToHalf(BertEncoder encoder, List<Integer> layers) {
    Parameters params = encoder.parameters();
    for (int i : layers) {
      for (String name : encoder.layerParameterNames(i)) {
        NDArray a = params.get(name);
        float[] v = Ops.noGrad(a::toFloatArray);
        for (int k = 0; k < v.length; k++) {
          v[k] = Float16.roundToHalf(v[k]);
        }
        set(a, v);
      }
    }
  }

  /**
   * Overwrites a parameter's values (with gradient tracking off, as in-place edits of leaves need).
   */
  static void set(NDArray a, float[] values) {
    boolean grad = a.hasGradient();
    if (grad) {
      a.setRequiresGradient(false);
    }
    Ops.noGrad(
        () -> {
          a.set(values);
          return null;
        });
    if (grad) {
      a.setRequiresGradient(true);
    }
  }
}

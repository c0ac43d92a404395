package io.semroute.classifier.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.head.Transform;

/**
 * Trained head weights in torch Linear layout: an optional hidden layer (dense + ReLU) then the
 * classifier. {@code hidden == 0} means a plain linear classifier.
 */
public record MlpHead(int inputSize, int hidden, int classes, float[] denseW, float[] denseB, float[] outW, float[] outB) {

  /** The transform before the classifier, with its tensors created in {@code m}. */
  public Transform transform(NDManager m) {
    if (hidden == 0) {
      return Transform.IDENTITY;
    }
    NDArray w = m.create(denseW, new Shape(hidden, inputSize));
    NDArray b = m.create(denseB, new Shape(hidden));
    return x -> ai.djl.nn.Activation.relu(Ops.linear(x, w, b));
  }

  public int classifierInput() {
    return hidden == 0 ? inputSize : hidden;
  }

  public NDArray classifierWeight(NDManager m) {
    return m.create(outW, new Shape(classes, classifierInput()));
  }

  public NDArray classifierBias(NDManager m) {
    return m.create(outB, new Shape(classes));
  }

  /** Plain-Java forward pass to logits, for evaluation on cached features. */
  public float[] logits(float[] x) {
    float[] h = x;
    if (hidden > 0) {
      h = new float[hidden];
      for (int j = 0; j < hidden; j++) {
        double s = denseB[j];
        int base = j * inputSize;
        for (int k = 0; k < inputSize; k++) {
          s += denseW[base + k] * x[k];
        }
        h[j] = (float) Math.max(0, s);
      }
    }
    int in = classifierInput();
    float[] out = new float[classes];
    for (int c = 0; c < classes; c++) {
      double s = outB[c];
      for (int k = 0; k < in; k++) {
        s += outW[c * in + k] * h[k];
      }
      out[c] = (float) s;
    }
    return out;
  }

  /** A copy whose bias for class {@code c} is shifted, e.g. to bake a decision threshold into argmax. */
  public MlpHead withBiasShift(int c, float shift) {
    float[] b = outB.clone();
    b[c] += shift;
    return new MlpHead(inputSize, hidden, classes, denseW, denseB, outW, b);
  }
}

package io.semroute.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.head.Transform;
import java.util.List;

/**
 * Trained head weights in torch Linear layout: an optional hidden layer (dense + ReLU) then the
 * classifier. {@code hidden == 0} means a plain linear classifier.
 */
public record MlpHead(
    int inputSize,
    int hidden,
    int classes,
    float[] denseW,
    float[] denseB,
    float[] outW,
    float[] outB) {

  /** The transform before the classifier, with its tensors created in {@code m}. */
  public Transform transform(NDManager m) {
    if (hidden == 0) {
      return Transform.IDENTITY;
    }
    NDArray w = m.create(denseW, new Shape(hidden, inputSize));
    NDArray b = m.create(denseB, new Shape(hidden));
    return x -> Activation.relu(Ops.linear(x, w, b));
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

  /**
   * The average of several heads' logits as one head: hidden units side by side, each member's
   * classifier columns scaled by 1/n, biases averaged. A seed ensemble thus loads and serves
   * exactly like a single MLP with {@code n * hidden} units.
   */
  public static MlpHead average(List<MlpHead> heads) {
    MlpHead first = heads.get(0);
    int n = heads.size();
    if (first.hidden() == 0) {
      throw new IllegalArgumentException("only heads with a hidden layer can be merged");
    }
    for (MlpHead h : heads) {
      if (h.inputSize() != first.inputSize()
          || h.hidden() != first.hidden()
          || h.classes() != first.classes()) {
        throw new IllegalArgumentException("heads differ in shape");
      }
    }
    int in = first.inputSize();
    int hid = first.hidden();
    int classes = first.classes();
    float[] dw = new float[n * hid * in];
    float[] db = new float[n * hid];
    float[] ow = new float[classes * n * hid];
    float[] ob = new float[classes];
    for (int k = 0; k < n; k++) {
      MlpHead h = heads.get(k);
      System.arraycopy(h.denseW(), 0, dw, k * hid * in, hid * in);
      System.arraycopy(h.denseB(), 0, db, k * hid, hid);
      for (int c = 0; c < classes; c++) {
        for (int j = 0; j < hid; j++) {
          ow[c * n * hid + k * hid + j] = h.outW()[c * hid + j] / n;
        }
        ob[c] += h.outB()[c] / n;
      }
    }
    return new MlpHead(in, n * hid, classes, dw, db, ow, ob);
  }

  /**
   * A copy whose bias for class {@code c} is shifted, e.g. to bake a decision threshold into
   * argmax.
   */
  public MlpHead withBiasShift(int c, float shift) {
    float[] b = outB.clone();
    b[c] += shift;
    return new MlpHead(inputSize, hidden, classes, denseW, denseB, outW, b);
  }
}

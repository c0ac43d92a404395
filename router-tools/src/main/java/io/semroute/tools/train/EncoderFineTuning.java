package io.semroute.tools.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.semroute.classifier.TorchRuntime;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.encoder.bert.BertEncoder;
import io.semroute.tools.eval.ClassificationReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Fine-tunes the top layers of the built-in encoder together with a throw-away MLP head, over
 * cached states of the frozen bottom layers ({@link LayerStates}): each step runs only the top
 * layers, mean pooling and the head with DJL autograd. Two Adam optimisers: a small rate for the
 * encoder layers, the head's own rate for the fresh head. Class-balanced loss, dropout on the
 * pooled vector and the hidden layer, early stopping on the stop set's macro-F1; the encoder is
 * left holding the best epoch's layer weights (the caller then trains its real head on them).
 */
public final class EncoderFineTuning {

  /** How fine-tuning went: best epoch (0 = the original weights were kept) and per-epoch lines. */
  public record Result(
      int bestEpoch, double bestStopMacroF1, List<String> history, List<Double> trainLoss) {}

  private EncoderFineTuning() {}

  /** The layers {@code fine-tuning layers} trains: the top {@code n} of the encoder. */
  public static List<Integer> topLayers(BertEncoder encoder, int n) {
    if (n < 1 || n > encoder.numLayers()) {
      throw new IllegalArgumentException(
          "can fine-tune 1.." + encoder.numLayers() + " layers, not " + n);
    }
    List<Integer> out = new ArrayList<>();
    for (int i = encoder.numLayers() - n; i < encoder.numLayers(); i++) {
      out.add(i);
    }
    return out;
  }

  /**
   * @param fit states after layer {@code numLayers - ft.layers()} of the training rows
   * @param stop the same for the early-stopping rows
   * @param head hidden units, dropout, head learning rate, weight decay and seed of the head
   */
  public static Result train(
      BertEncoder encoder,
      FineTuneSettings ft,
      LayerStates fit,
      int[] fitY,
      LayerStates stop,
      int[] stopY,
      int classes,
      MlpTrainer.Options head) {
    Engine engine = TorchRuntime.engine();
    List<Integer> layers = topLayers(encoder, ft.layers());
    int from = layers.get(0);
    int d = encoder.hiddenSize();
    int h = head.hidden();
    if (h < 1) {
      throw new IllegalArgumentException("fine-tuning needs a head with a hidden layer");
    }
    Random random = new Random(head.seed());
    float[] classWeight = classWeights(fitY, classes);
    FineTuneEpochs epochs = new FineTuneEpochs(encoder, layers, ft.patience(), "stop-macroF1");
    Map<String, NDArray> encParams = epochs.layers();
    try (NDManager m = encoder.parameters().manager().newSubManager()) {
      NDArray w1 = param(m, init(random, h * d, d), h, d);
      NDArray b1 = param(m, new float[h], h);
      NDArray w2 = param(m, init(random, classes * h, h), classes, h);
      NDArray b2 = param(m, new float[classes], classes);
      List<NDArray> headParams = List.of(w1, b1, w2, b2);
      encParams.values().forEach(a -> a.setRequiresGradient(true));
      Optimizer encAdam =
          Optimizer.adam()
              .optLearningRateTracker(Tracker.fixed(ft.encoderLr()))
              .optClipGrad(1f)
              .build();
      Optimizer headAdam =
          Optimizer.adam()
              .optLearningRateTracker(Tracker.fixed(head.learningRate()))
              .optWeightDecays(head.weightDecay())
              .optClipGrad(5f)
              .build();
      ProgressBar bar =
          new ProgressBar(
              "fine-tune layers " + layers, (long) ft.epochs() * fit.size(), System.out);
      try {
        for (int epoch = 1; epoch <= ft.epochs(); epoch++) {
          double lossSum = 0;
          int steps = 0;
          for (int[] rows : batches(fit, ft.batchSize(), random)) {
            int n = rows.length;
            float[] target = new float[n * classes];
            float weightSum = 0;
            for (int k = 0; k < n; k++) {
              int y = fitY[rows[k]];
              target[k * classes + y] = classWeight[y];
              weightSum += classWeight[y];
            }
            float[] inMask = dropoutMask(random, n * d, head.dropout());
            float[] hidMask = dropoutMask(random, n * h, head.dropout());
            try (NDManager sub = m.newSubManager()) {
              NDArray[] in = fit.batch(sub, rows);
              NDArray t = sub.create(target, new Shape(n, classes));
              NDArray im = sub.create(inMask, new Shape(n, d));
              NDArray hm = sub.create(hidMask, new Shape(n, h));
              float loss;
              try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray pooled = Ops.meanPool(encoder.runLayers(in[0], in[1], from), in[1]).mul(im);
                NDArray z = Activation.relu(Ops.linear(pooled, w1, b1)).mul(hm);
                NDArray l = Ops.linear(z, w2, b2).logSoftmax(1).mul(t).sum().neg().div(weightSum);
                gc.backward(l);
                loss = l.getFloat();
              }
              update(encAdam, "enc", new ArrayList<>(encParams.values()));
              update(headAdam, "head", headParams);
              lossSum += loss;
              steps++;
            }
            bar.step(n, String.format(Locale.ROOT, "epoch %d loss %.4f", epoch, lossSum / steps));
          }
          double f1 = macroF1(encoder, from, stop, stopY, w1, b1, w2, b2);
          if (epochs.endEpoch(epoch, lossSum / Math.max(1, steps), f1)) {
            break;
          }
        }
      } finally {
        encParams.values().forEach(a -> a.setRequiresGradient(false));
      }
    }
    // Leave the encoder with the best epoch's layers.
    return epochs.restoreBest();
  }

  /**
   * Mean-pooled output of the top layers (from {@code from}) over cached bottom states: the
   * sentence features the loaded model computes for these texts.
   */
  public static float[][] pooled(BertEncoder encoder, int from, LayerStates states) {
    int d = encoder.hiddenSize();
    float[][] out = new float[states.size()][];
    for (int[] rows : states.lengthSortedBatches(64)) {
      int n = rows.length;
      try (NDManager m = encoder.parameters().manager().newSubManager()) {
        float[] flat =
            Ops.noGrad(
                () -> {
                  NDArray[] in = states.batch(m, rows);
                  return Ops.meanPool(encoder.runLayers(in[0], in[1], from), in[1]).toFloatArray();
                });
        for (int k = 0; k < n; k++) {
          out[rows[k]] = Arrays.copyOfRange(flat, k * d, (k + 1) * d);
        }
      }
    }
    return out;
  }

  private static double macroF1(
      BertEncoder encoder,
      int from,
      LayerStates stop,
      int[] stopY,
      NDArray w1,
      NDArray b1,
      NDArray w2,
      NDArray b2) {
    float[][] x = pooled(encoder, from, stop);
    MlpHead probe =
        Ops.noGrad(
            () ->
                new MlpHead(
                    x[0].length,
                    (int) w1.getShape().get(0),
                    (int) w2.getShape().get(0),
                    w1.toFloatArray(),
                    b1.toFloatArray(),
                    w2.toFloatArray(),
                    b2.toFloatArray()));
    List<String> gold = new ArrayList<>();
    List<String> pred = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      gold.add(Integer.toString(stopY[i]));
      pred.add(Integer.toString(MlpTrainer.argmax(probe.logits(x[i]))));
    }
    return ClassificationReport.of(gold, pred).macroF1();
  }

  /**
   * Batches of similar length (less padding, so less wasted work): shuffle, sort pools of 50
   * batches by length, cut, then shuffle the batch order.
   */
  static List<int[]> batches(LayerStates s, int batchSize, Random random) {
    int[] order = new int[s.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    List<int[]> out = new ArrayList<>();
    int pool = batchSize * 50;
    for (int p = 0; p < order.length; p += pool) {
      Integer[] chunk = new Integer[Math.min(pool, order.length - p)];
      for (int k = 0; k < chunk.length; k++) {
        chunk[k] = order[p + k];
      }
      Arrays.sort(chunk, Comparator.comparingInt(s::length));
      for (int b = 0; b < chunk.length; b += batchSize) {
        int n = Math.min(batchSize, chunk.length - b);
        int[] rows = new int[n];
        for (int k = 0; k < n; k++) {
          rows[k] = chunk[b + k];
        }
        out.add(rows);
      }
    }
    Collections.shuffle(out, random);
    return out;
  }

  static void update(Optimizer adam, String group, List<NDArray> params) {
    for (int p = 0; p < params.size(); p++) {
      NDArray w = params.get(p);
      NDArray g = w.getGradient();
      adam.update(group + p, w, g);
      g.muli(0);
      g.close();
    }
  }

  static Map<String, float[]> snapshot(Map<String, NDArray> params) {
    Map<String, float[]> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, Ops.noGrad(v::toFloatArray)));
    return out;
  }

  static float[] dropoutMask(Random r, int n, float p) {
    float[] m = new float[n];
    for (int i = 0; i < n; i++) {
      m[i] = p > 0 && r.nextFloat() < p ? 0f : 1f / (1 - p);
    }
    return m;
  }

  static NDArray param(NDManager m, float[] values, long... shape) {
    NDArray a = m.create(values, new Shape(shape));
    a.setRequiresGradient(true);
    return a;
  }

  static float[] init(Random r, int n, int fanIn) {
    float bound = (float) (1.0 / Math.sqrt(fanIn));
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (r.nextFloat() * 2 - 1) * bound;
    }
    return v;
  }

  static float[] classWeights(int[] y, int classes) {
    int[] counts = new int[classes];
    for (int label : y) {
      counts[label]++;
    }
    float[] w = new float[classes];
    for (int c = 0; c < classes; c++) {
      w[c] = counts[c] == 0 ? 0f : (float) y.length / (classes * counts[c]);
    }
    return w;
  }
}

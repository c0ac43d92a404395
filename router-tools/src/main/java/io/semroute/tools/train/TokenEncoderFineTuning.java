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
import io.semroute.classifier.head.TokenContext;
import io.semroute.tools.eval.ClassificationReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The token-classification counterpart of {@link EncoderFineTuning}: the encoder's top layers and a
 * throw-away token head ([prev, self, next] window of state + per-token extra features, as {@link
 * TokenFeatures} and the served {@code TokenHead} build it) trained together on per-token labels
 * over cached bottom-layer states. Tokens labelled {@code -1} (special tokens, word continuations
 * the labeler ignores) carry no loss. Early stopping on the stop texts' token macro-F1; the encoder
 * is left with the best epoch's layers.
 */
public final class TokenEncoderFineTuning {

  /**
   * Per-text inputs besides the states: {@code labels[t][i]} the class of token i (-1 = no loss)
   * and {@code extra[t][i]} its extra features (may be empty arrays, never null).
   */
  public record Targets(int[][] labels, float[][][] extra) {}

  private TokenEncoderFineTuning() {}

  public static EncoderFineTuning.Result train(
      BertEncoder encoder,
      FineTuneSettings ft,
      LayerStates fit,
      Targets fitT,
      LayerStates stop,
      Targets stopT,
      int classes,
      MlpTrainer.Options head) {
    Engine engine = TorchRuntime.engine();
    List<Integer> layers = EncoderFineTuning.topLayers(encoder, ft.layers());
    int from = layers.get(0);
    int e = fitT.extra()[0].length == 0 ? 0 : fitT.extra()[0][0].length;
    int d = 3 * (encoder.hiddenSize() + e);
    int h = head.hidden();
    if (h < 1) {
      throw new IllegalArgumentException("fine-tuning needs a head with a hidden layer");
    }
    Random random = new Random(head.seed());
    FineTuneEpochs epochs =
        new FineTuneEpochs(encoder, layers, ft.patience(), "stop-token-macroF1");
    Map<String, NDArray> encParams = epochs.layers();
    try (NDManager m = encoder.parameters().manager().newSubManager()) {
      NDArray w1 = EncoderFineTuning.param(m, EncoderFineTuning.init(random, h * d, d), h, d);
      NDArray b1 = EncoderFineTuning.param(m, new float[h], h);
      NDArray w2 =
          EncoderFineTuning.param(m, EncoderFineTuning.init(random, classes * h, h), classes, h);
      NDArray b2 = EncoderFineTuning.param(m, new float[classes], classes);
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
              "fine-tune layers " + layers + " (tokens)",
              (long) ft.epochs() * fit.size(),
              System.out);
      try {
        for (int epoch = 1; epoch <= ft.epochs(); epoch++) {
          double lossSum = 0;
          int steps = 0;
          for (int[] rows : EncoderFineTuning.batches(fit, ft.batchSize(), random)) {
            int n = rows.length;
            int seq = 0;
            for (int r : rows) {
              seq = Math.max(seq, fit.length(r));
            }
            float[] target = new float[n * seq * classes];
            float[] extra = new float[n * seq * e];
            int counted = 0;
            for (int k = 0; k < n; k++) {
              int[] y = fitT.labels()[rows[k]];
              for (int i = 0; i < y.length; i++) {
                if (y[i] >= 0) {
                  target[(k * seq + i) * classes + y[i]] = 1f;
                  counted++;
                }
                if (e > 0) {
                  System.arraycopy(fitT.extra()[rows[k]][i], 0, extra, (k * seq + i) * e, e);
                }
              }
            }
            if (counted == 0) {
              continue;
            }
            float[] hidMask = EncoderFineTuning.dropoutMask(random, n * seq * h, head.dropout());
            try (NDManager sub = m.newSubManager()) {
              NDArray[] in = fit.batch(sub, rows);
              NDArray t = sub.create(target, new Shape(n, seq, classes));
              NDArray hm = sub.create(hidMask, new Shape(n, seq, h));
              NDArray ex = e == 0 ? null : sub.create(extra, new Shape(n, seq, e));
              float loss;
              try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray states = encoder.runLayers(in[0], in[1], from);
                NDArray feats = ex == null ? states : states.concat(ex, 2);
                NDArray z = Activation.relu(Ops.linear(TokenContext.window(feats), w1, b1)).mul(hm);
                NDArray l = Ops.linear(z, w2, b2).logSoftmax(2).mul(t).sum().neg().div(counted);
                gc.backward(l);
                loss = l.getFloat();
              }
              EncoderFineTuning.update(encAdam, "enc", new ArrayList<>(encParams.values()));
              EncoderFineTuning.update(headAdam, "head", headParams);
              lossSum += loss;
              steps++;
            }
            bar.step(
                n,
                String.format(
                    Locale.ROOT, "epoch %d loss %.4f", epoch, lossSum / Math.max(1, steps)));
          }
          double f1 = macroF1(encoder, from, stop, stopT, w1, b1, w2, b2);
          if (epochs.endEpoch(epoch, lossSum / Math.max(1, steps), f1)) {
            break;
          }
        }
      } finally {
        encParams.values().forEach(a -> a.setRequiresGradient(false));
      }
    }
    return epochs.restoreBest();
  }

  /**
   * Per-token output of the top layers (from {@code from}) over cached bottom states, one
   * [length][hidden] per text.
   */
  public static List<float[][]> tokenStates(BertEncoder encoder, int from, LayerStates states) {
    int d = encoder.hiddenSize();
    float[][][] out = new float[states.size()][][];
    for (int[] rows : states.lengthSortedBatches(64)) {
      int n = rows.length;
      try (NDManager m = encoder.parameters().manager().newSubManager()) {
        NDArray[] in = states.batch(m, rows);
        int seq = (int) in[0].getShape().get(1);
        float[] flat = Ops.noGrad(() -> encoder.runLayers(in[0], in[1], from).toFloatArray());
        for (int k = 0; k < n; k++) {
          float[][] t = new float[states.length(rows[k])][];
          for (int i = 0; i < t.length; i++) {
            t[i] = Arrays.copyOfRange(flat, (k * seq + i) * d, (k * seq + i + 1) * d);
          }
          out[rows[k]] = t;
        }
      }
    }
    return Arrays.asList(out);
  }

  private static double macroF1(
      BertEncoder encoder,
      int from,
      LayerStates stop,
      Targets stopT,
      NDArray w1,
      NDArray b1,
      NDArray w2,
      NDArray b2) {
    List<float[][]> states = tokenStates(encoder, from, stop);
    MlpHead probe =
        Ops.noGrad(
            () ->
                new MlpHead(
                    (int) w1.getShape().get(1),
                    (int) w1.getShape().get(0),
                    (int) w2.getShape().get(0),
                    w1.toFloatArray(),
                    b1.toFloatArray(),
                    w2.toFloatArray(),
                    b2.toFloatArray()));
    List<String> gold = new ArrayList<>();
    List<String> pred = new ArrayList<>();
    for (int t = 0; t < states.size(); t++) {
      int[] y = stopT.labels()[t];
      boolean extra = stopT.extra()[t].length > 0 && stopT.extra()[t][0].length > 0;
      for (int i = 0; i < y.length; i++) {
        if (y[i] < 0) {
          continue;
        }
        float[] x =
            extra
                ? TokenFeatures.window(states.get(t), stopT.extra()[t], i)
                : TokenFeatures.window(states.get(t), i);
        gold.add(Integer.toString(y[i]));
        pred.add(Integer.toString(MlpTrainer.argmax(probe.logits(x))));
      }
    }
    return ClassificationReport.of(gold, pred).macroF1();
  }
}

package io.semroute.tools.train;

import ai.djl.Device;
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
import io.semroute.classifier.head.LexicalFeatures;
import io.semroute.classifier.head.LexicalLogits;
import io.semroute.tools.eval.ClassificationReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Trains a small classifier head on fixed feature vectors with DJL autograd on the PyTorch engine:
 * Adam with weight decay, dropout on the input and hidden layer, class-balanced loss, early
 * stopping on dev macro-F1 (the best epoch's weights are kept; patience 0 trains all epochs).
 * Seeded: initial weights, batch order and dropout masks all come from one {@link Random}.
 */
public final class MlpTrainer {

  /** Hyper-parameters. */
  public record Options(
      int hidden,
      float dropout,
      float learningRate,
      float weightDecay,
      int batchSize,
      int maxEpochs,
      int patience,
      long seed,
      boolean balanced) {}

  /**
   * Optional word n-gram input trained jointly with the head: a bias-free linear layer whose logits
   * are added to the MLP's (see {@link LexicalLogits}); own Adam learning rate and weight decay
   * because sparse tf-idf inputs need a larger step than dense embeddings.
   */
  public record Lexical(
      LexicalFeatures features,
      List<LexicalFeatures.Vector> train,
      List<LexicalFeatures.Vector> dev,
      float learningRate,
      float weightDecay) {}

  /** The best head and how training went; {@code lexical} is null without a lexical input. */
  public record Result(
      MlpHead head,
      LexicalLogits lexical,
      int bestEpoch,
      double bestDevMacroF1,
      List<String> history) {}

  private MlpTrainer() {}

  public static Result train(
      float[][] x, int[] y, float[][] devX, int[] devY, int classes, Options o) {
    return train(x, y, devX, devY, classes, o, null);
  }

  public static Result train(
      float[][] x, int[] y, float[][] devX, int[] devY, int classes, Options o, Lexical lex) {
    Engine engine = TorchRuntime.engine();
    int d = x[0].length;
    int h = o.hidden();
    Random random = new Random(o.seed());
    float[] classWeight = classWeights(y, classes, o.balanced());
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      int in2 = h == 0 ? d : h;
      NDArray w1 = h == 0 ? null : param(m, init(random, h * d, d), h, d);
      NDArray b1 = h == 0 ? null : param(m, new float[h], h);
      NDArray w2 = param(m, init(random, classes * in2, in2), classes, in2);
      NDArray b2 = param(m, new float[classes], classes);
      List<NDArray> params = new ArrayList<>();
      if (h > 0) {
        params.add(w1);
        params.add(b1);
      }
      params.add(w2);
      params.add(b2);
      Optimizer adam =
          Optimizer.adam()
              .optLearningRateTracker(Tracker.fixed(o.learningRate()))
              .optWeightDecays(o.weightDecay())
              .optClipGrad(5f)
              .build();
      int buckets = lex == null ? 0 : lex.features().buckets();
      // Zero init: the lexical layer starts neutral and only adds what the embedding misses.
      NDArray w3 = lex == null ? null : param(m, new float[classes * buckets], classes, buckets);
      Optimizer lexAdam =
          lex == null
              ? null
              : Optimizer.adam()
                  .optLearningRateTracker(Tracker.fixed(lex.learningRate()))
                  .optWeightDecays(lex.weightDecay())
                  .optClipGrad(5f)
                  .build();
      LexicalLogits bestLex = null;

      MlpHead best = null;
      double bestF1 = -1;
      int bestEpoch = 0;
      List<String> history = new ArrayList<>();
      int[] order = new int[x.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      ProgressBar bar = new ProgressBar("train head", (long) o.maxEpochs() * x.length, System.out);
      for (int epoch = 1; epoch <= o.maxEpochs(); epoch++) {
        shuffle(order, random);
        double lossSum = 0;
        int steps = 0;
        for (int start = 0; start < order.length; start += o.batchSize()) {
          int n = Math.min(o.batchSize(), order.length - start);
          float[] xb = new float[n * d];
          float[] onehotW = new float[n * classes];
          float weightSum = 0;
          for (int k = 0; k < n; k++) {
            int row = order[start + k];
            for (int j = 0; j < d; j++) {
              // inverted dropout on the input features
              xb[k * d + j] =
                  (o.dropout() > 0 && random.nextFloat() < o.dropout())
                      ? 0f
                      : x[row][j] / (1 - o.dropout());
            }
            onehotW[k * classes + y[row]] = classWeight[y[row]];
            weightSum += classWeight[y[row]];
          }
          float[] hiddenMask = null;
          if (h > 0 && o.dropout() > 0) {
            hiddenMask = new float[n * h];
            for (int k = 0; k < hiddenMask.length; k++) {
              hiddenMask[k] = random.nextFloat() < o.dropout() ? 0f : 1f / (1 - o.dropout());
            }
          }
          float[] lb = null;
          if (lex != null) {
            lb = new float[n * buckets];
            for (int k = 0; k < n; k++) {
              LexicalFeatures.Vector v = lex.train().get(order[start + k]);
              for (int i = 0; i < v.index().length; i++) {
                lb[k * buckets + v.index()[i]] =
                    (o.dropout() > 0 && random.nextFloat() < o.dropout())
                        ? 0f
                        : v.value()[i] / (1 - o.dropout());
              }
            }
          }
          try (NDManager sub = m.newSubManager()) {
            NDArray xa = sub.create(xb, new Shape(n, d));
            NDArray xl = lb == null ? null : sub.create(lb, new Shape(n, buckets));
            NDArray target = sub.create(onehotW, new Shape(n, classes));
            NDArray mask = hiddenMask == null ? null : sub.create(hiddenMask, new Shape(n, h));
            float lossValue;
            try (GradientCollector gc = engine.newGradientCollector()) {
              NDArray z = xa;
              if (h > 0) {
                z = Activation.relu(Ops.linear(xa, w1, b1));
                if (mask != null) {
                  z = z.mul(mask);
                }
              }
              NDArray logits = Ops.linear(z, w2, b2);
              if (xl != null) {
                logits = logits.add(xl.matMul(w3.transpose()));
              }
              NDArray loss = logits.logSoftmax(1).mul(target).sum().neg().div(weightSum);
              gc.backward(loss);
              lossValue = loss.getFloat();
            }
            for (int p = 0; p < params.size(); p++) {
              NDArray w = params.get(p);
              NDArray g = w.getGradient();
              adam.update("p" + p, w, g);
              g.muli(0);
              g.close();
            }
            if (w3 != null) {
              NDArray g = w3.getGradient();
              lexAdam.update("lexical", w3, g);
              g.muli(0);
              g.close();
            }
            lossSum += lossValue;
            steps++;
          }
          bar.step(n, String.format(Locale.ROOT, "epoch %d loss %.4f", epoch, lossSum / steps));
        }
        MlpHead head = snapshot(d, h, classes, w1, b1, w2, b2);
        LexicalLogits lexHead =
            w3 == null ? null : new LexicalLogits(lex.features(), classes, w3.toFloatArray());
        double f1 = devMacroF1(head, lexHead, devX, lex == null ? null : lex.dev(), devY);
        String line =
            String.format(
                Locale.ROOT,
                "epoch %d train-loss %.4f dev-macroF1 %.4f",
                epoch,
                lossSum / steps,
                f1);
        history.add(line);
        // patience <= 0: no early stopping, the last epoch's weights are kept (a fixed epoch count
        // chosen by cross-validation, so the dev rows can be trained on).
        if (o.patience() <= 0 || f1 > bestF1 + 1e-4) {
          bestF1 = f1;
          best = head;
          bestLex = lexHead;
          bestEpoch = epoch;
        } else if (epoch - bestEpoch >= o.patience()) {
          bar.step((long) (o.maxEpochs() - epoch) * x.length, "early stop");
          break;
        }
      }
      System.out.println();
      history.forEach(System.out::println);
      return new Result(best, bestLex, bestEpoch, bestF1, history);
    }
  }

  static double devMacroF1(
      MlpHead head,
      LexicalLogits lexical,
      float[][] devX,
      List<LexicalFeatures.Vector> devLex,
      int[] devY) {
    List<String> gold = new ArrayList<>(devX.length);
    List<String> pred = new ArrayList<>(devX.length);
    for (int i = 0; i < devX.length; i++) {
      gold.add(Integer.toString(devY[i]));
      pred.add(
          Integer.toString(
              argmax(logits(head, lexical, devX[i], devLex == null ? null : devLex.get(i)))));
    }
    return ClassificationReport.of(gold, pred).macroF1();
  }

  /** Head logits plus, when present, the lexical layer's logits: what the loaded model computes. */
  public static float[] logits(
      MlpHead head, LexicalLogits lexical, float[] x, LexicalFeatures.Vector v) {
    float[] l = head.logits(x);
    if (lexical != null) {
      float[] extra = lexical.logits(v);
      for (int c = 0; c < l.length; c++) {
        l[c] += extra[c];
      }
    }
    return l;
  }

  public static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static MlpHead snapshot(
      int d, int h, int classes, NDArray w1, NDArray b1, NDArray w2, NDArray b2) {
    return new MlpHead(
        d,
        h,
        classes,
        w1 == null ? new float[0] : w1.toFloatArray(),
        b1 == null ? new float[0] : b1.toFloatArray(),
        w2.toFloatArray(),
        b2.toFloatArray());
  }

  private static NDArray param(NDManager m, float[] values, long... shape) {
    NDArray a = m.create(values, new Shape(shape));
    a.setRequiresGradient(true);
    return a;
  }

  /** Kaiming-uniform-like init scaled by fan-in, as torch.nn.Linear does. */
  private static float[] init(Random r, int n, int fanIn) {
    float bound = (float) (1.0 / Math.sqrt(fanIn));
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (r.nextFloat() * 2 - 1) * bound;
    }
    return v;
  }

  private static float[] classWeights(int[] y, int classes, boolean balanced) {
    float[] w = new float[classes];
    Arrays.fill(w, 1f);
    if (!balanced) {
      return w;
    }
    int[] counts = new int[classes];
    for (int label : y) {
      counts[label]++;
    }
    for (int c = 0; c < classes; c++) {
      w[c] = counts[c] == 0 ? 0f : (float) y.length / (classes * counts[c]);
    }
    return w;
  }

  private static void shuffle(int[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

package io.semroute.tools.routing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.outcome.OutcomeFeatures;
import io.semroute.classifier.outcome.OutcomeModel;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.tools.data.DataException;
import io.semroute.tools.data.Jsonl;
import io.semroute.tools.train.EmbeddingCache;
import io.semroute.tools.train.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code train --task outcomes}: predicted success per model from outcome data. Splits the rows by
 * prompt ({@link PromptSplit}: train / dev / held-out test), encodes every prompt once with the
 * built-in encoder (cached), fits one logistic regression per model on train, picks the L2 penalty
 * by dev log-loss and the default policy's target by dev gain over the best random mix at equal
 * cost, and writes an outcomes folder ({@link OutcomeModel}) with a model card. The test part is
 * evaluated once, for the card.
 */
public final class OutcomeTraining {

  /** Everything the command passes on. */
  public record Settings(
      Path data,
      Path prices,
      int outputTokens,
      Path out,
      long seed,
      double devFraction,
      double testFraction,
      int maxTokens,
      Path cacheDir,
      double[] l2Grid,
      int iterations,
      double lr,
      String name) {}

  /** What a fit needs besides the data: the settings of the folder. */
  public record Fit(float[] mean, float[] scale, LogisticFit.Weights weights) {
    public double[][] predict(float[][] x) {
      return LogisticFit.predict(weights, LogisticFit.standardise(x, mean, scale));
    }
  }

  private OutcomeTraining() {}

  /** Outcome-head features of every prompt: cached encoder vectors + prompt shape. */
  public static float[][] features(
      List<String> prompts, int maxTokens, Path cacheDir, String what) {
    float[][] pooled;
    try (TextEncoder encoder =
        ClassifierRegistry.builtinEncoder(LoadOptions.DEFAULT.withMaxTokens(maxTokens))) {
      pooled =
          new EmbeddingCache(encoder, cacheDir, "minilm-mean-" + maxTokens).embed(prompts, what);
    }
    float[][] x = new float[prompts.size()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = OutcomeFeatures.of(pooled[i], prompts.get(i));
    }
    return x;
  }

  public static double[][] targets(OutcomeData d) {
    return d.rows().stream().map(OutcomeRow::score).toArray(double[][]::new);
  }

  public static Fit fit(float[][] x, double[][] y, double l2, int iterations, double lr) {
    float[][] ms = LogisticFit.standardisation(x);
    LogisticFit.Weights w =
        LogisticFit.fit(LogisticFit.standardise(x, ms[0], ms[1]), y, l2, iterations, lr);
    return new Fit(ms[0], ms[1], w);
  }

  public static double[] meanCosts(OutcomeData d) {
    double[] c = new double[d.models().size()];
    for (OutcomeRow r : d.rows()) {
      for (int m = 0; m < c.length; m++) {
        c[m] += r.cost()[m] / d.rows().size();
      }
    }
    return c;
  }

  /**
   * The target with the largest gain over the best random mix at equal cost (ties: lower target).
   */
  public static double tuneTarget(List<RoutingEvaluation.CurvePoint> curve) {
    RoutingEvaluation.CurvePoint best = curve.get(0);
    for (RoutingEvaluation.CurvePoint p : curve) {
      if (p.hullGain() > best.hullGain() + 1e-12) {
        best = p;
      }
    }
    return best.target();
  }

  public static void run(Settings s) throws IOException {
    OutcomeData all = OutcomeData.read(s.data(), s.prices(), s.outputTokens());
    PromptSplit split = new PromptSplit(s.seed(), s.devFraction(), s.testFraction());
    OutcomeData train = all.part(split, PromptSplit.Part.train);
    OutcomeData dev = all.part(split, PromptSplit.Part.dev);
    OutcomeData test = all.part(split, PromptSplit.Part.test);
    System.out.printf(
        "outcomes: %d models %s; rows %d train, %d dev, %d held-out test (split by prompt, seed %d)%n",
        all.models().size(),
        all.models(),
        train.rows().size(),
        dev.rows().size(),
        test.rows().size(),
        s.seed());
    if (train.rows().isEmpty() || dev.rows().isEmpty()) {
      throw new DataException(s.data() + ": too few rows for a train and a dev part");
    }
    float[][] xTrain = features(train.prompts(), s.maxTokens(), s.cacheDir(), "train");
    float[][] xDev = features(dev.prompts(), s.maxTokens(), s.cacheDir(), "dev");
    double[][] yTrain = targets(train);
    double[][] yDev = targets(dev);

    Fit best = null;
    double bestL2 = Double.NaN;
    double bestLoss = Double.POSITIVE_INFINITY;
    StringBuilder tuning = new StringBuilder();
    for (double l2 : s.l2Grid()) {
      Fit f = fit(xTrain, yTrain, l2, s.iterations(), s.lr());
      double loss = LogisticFit.logLoss(f.predict(xDev), yDev);
      String line = String.format(Locale.ROOT, "l2 %-8s dev log-loss %.4f", l2, loss);
      System.out.println(line);
      tuning.append("| ").append(l2).append(String.format(Locale.ROOT, " | %.4f |%n", loss));
      if (loss < bestLoss) {
        bestLoss = loss;
        best = f;
        bestL2 = l2;
      }
    }
    double[] meanCosts = meanCosts(train);
    RoutingEvaluation devEval = new RoutingEvaluation(dev);
    List<RoutingEvaluation.CurvePoint> devCurve =
        devEval.curve(best.predict(xDev), meanCosts, 0.01);
    double target = tuneTarget(devCurve);
    RoutingEvaluation.CurvePoint devAt = devEval.policy(best.predict(xDev), meanCosts, target);
    System.out.printf(
        Locale.ROOT,
        "chosen l2 %s; target %.2f on dev: accuracy %.4f cost $%.6f, random %.4f (gain %+.4f), best mix %.4f (gain %+.4f)%n",
        bestL2,
        target,
        devAt.accuracy(),
        devAt.cost(),
        devAt.randomAccuracy(),
        devAt.gain(),
        devAt.hullAccuracy(),
        devAt.hullGain());

    write(s, all, train, best, meanCosts, target, bestL2, split);
    String testReport = "";
    if (!test.rows().isEmpty()) {
      float[][] xTest = features(test.prompts(), s.maxTokens(), s.cacheDir(), "test");
      RoutingEvaluation testEval = new RoutingEvaluation(test);
      testReport =
          RoutingReport.text(
              testEval,
              testEval.curve(best.predict(xTest), meanCosts, 0.05),
              testEval.policy(best.predict(xTest), meanCosts, target));
      System.out.println("held-out test part:\n" + testReport);
    }
    OutcomeCard.write(
        s,
        all,
        train,
        dev,
        test,
        bestL2,
        tuning.toString(),
        target,
        RoutingReport.text(devEval, devEval.curve(best.predict(xDev), meanCosts, 0.05), devAt),
        testReport);
    System.out.println("wrote " + s.out());
  }

  private static void write(
      Settings s,
      OutcomeData all,
      OutcomeData train,
      Fit f,
      double[] meanCosts,
      double target,
      double l2,
      PromptSplit split)
      throws IOException {
    Files.createDirectories(s.out());
    ObjectNode cfg = Jsonl.MAPPER.createObjectNode();
    cfg.put("architecture", OutcomeModel.ARCHITECTURE);
    cfg.put("base_encoder", "builtin:all-MiniLM-L6-v2");
    cfg.put("max_tokens", s.maxTokens());
    cfg.put(
        "features",
        "mean-pooled encoder output ("
            + s.maxTokens()
            + " tokens, head+tail) + log(1+chars) + log(lines)");
    ArrayNode models = cfg.putArray("models");
    double[][] y = targets(train);
    for (int m = 0; m < all.models().size(); m++) {
      double acc = 0;
      for (double[] r : y) {
        acc += r[m] / y.length;
      }
      models
          .addObject()
          .put("name", all.models().get(m))
          .put("mean_cost_usd", meanCosts[m])
          .put("train_success", acc);
    }
    cfg.putObject("policy").put("type", "cheapest_reaching_target").put("target", target);
    ObjectNode sp = cfg.putObject("split");
    sp.put("by", "prompt")
        .put("seed", split.seed())
        .put("dev_fraction", split.devFraction())
        .put("test_fraction", split.testFraction())
        .put("data", s.data().getFileName().toString());
    ObjectNode tr = cfg.putObject("training");
    tr.put("l2", l2)
        .put("iterations", s.iterations())
        .put("lr", s.lr())
        .put("rows", train.rows().size());
    if (s.prices() != null) {
      tr.put("prices", s.prices().getFileName().toString())
          .put("output_tokens", s.outputTokens())
          .put("chars_per_token", OutcomeData.CHARS_PER_TOKEN);
    }
    Jsonl.MAPPER
        .writerWithDefaultPrettyPrinter()
        .writeValue(s.out().resolve("config.json").toFile(), cfg);
    float[][] w = f.weights().weight();
    float[] flat = new float[w.length * f.mean().length];
    for (int m = 0; m < w.length; m++) {
      System.arraycopy(w[m], 0, flat, m * f.mean().length, f.mean().length);
    }
    new SafetensorsWriter()
        .put("feature.mean", f.mean(), f.mean().length)
        .put("feature.scale", f.scale(), f.scale().length)
        .put("outcome.weight", flat, w.length, f.mean().length)
        .put("outcome.bias", f.weights().bias(), w.length)
        .metadata("format", "pt")
        .write(s.out().resolve("model.safetensors"));
  }

  static List<Double> grid(double[] g) {
    List<Double> out = new ArrayList<>();
    for (double v : g) {
      out.add(v);
    }
    return out;
  }
}

package io.semroute.classifier.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.semroute.classifier.checkpoint.CheckpointConfig;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.encoder.Activation;
import io.semroute.classifier.encoder.Ops;
import io.semroute.classifier.weights.Parameters;
import java.util.Arrays;

/** Builds the task heads of Hugging Face checkpoints from their tensors. */
public final class Heads {
  private Heads() {}

  /** {@code ModernBertPredictionHead}: dense (bias if classifier_bias), activation, norm. */
  public static Transform modernBertPrediction(CheckpointConfig cfg, Parameters p) {
    int h = cfg.requireInt("hidden_size");
    NDArray w = p.require("head.dense.weight", h, h);
    NDArray b = cfg.boolOr("classifier_bias", false) ? p.require("head.dense.bias", h) : null;
    NDArray nw = p.require("head.norm.weight", h);
    NDArray nb =
        cfg.boolOr("norm_bias", false)
            ? p.require("head.norm.bias", h)
            : p.put("head.norm.bias(zeros)", p.manager().zeros(new Shape(h)));
    Activation act =
        Activation.fromConfig(
            cfg.string("classifier_activation", cfg.string("hidden_activation", "gelu")),
            cfg.source());
    float eps = (float) cfg.doubleOr("norm_eps", 1e-5);
    return x -> Ops.layerNorm(act.apply(Ops.linear(x, w, b)), nw, nb, eps);
  }

  /** {@code BertPooler}: dense then tanh, on the [CLS] vector. */
  public static Transform bertPooler(CheckpointConfig cfg, Parameters p, String prefix) {
    int h = cfg.requireInt("hidden_size");
    NDArray w = p.require(prefix + "pooler.dense.weight", h, h);
    NDArray b = p.require(prefix + "pooler.dense.bias", h);
    return x -> Ops.linear(x, w, b).tanh();
  }

  public static SequenceHead sequence(
      CheckpointConfig cfg, Parameters p, Pooling pooling, Transform t, int numLabels) {
    int h = cfg.requireInt("hidden_size");
    return new SequenceHead(
        pooling,
        t,
        classifierWeight(p, numLabels, h),
        p.optional("classifier.bias", numLabels).orElse(null));
  }

  public static TokenHead token(CheckpointConfig cfg, Parameters p, Transform t, int numLabels) {
    int h = cfg.requireInt("hidden_size");
    return new TokenHead(
        t,
        classifierWeight(p, numLabels, h),
        p.optional("classifier.bias", numLabels).orElse(null));
  }

  private static NDArray classifierWeight(Parameters p, int numLabels, int hidden) {
    if (!p.has("classifier.weight")) {
      throw new CheckpointFormatException(
          p.source().describe()
              + ": missing tensor 'classifier.weight' (a task checkpoint needs its classifier)");
    }
    long[] shape = p.source().shape("classifier.weight");
    if (shape.length != 2 || shape[1] != hidden || shape[0] != numLabels) {
      throw new CheckpointFormatException(
          p.source().describe()
              + ": tensor 'classifier.weight' has shape "
              + Arrays.toString(shape)
              + " but the labels say "
              + numLabels
              + " x hidden_size "
              + hidden);
    }
    return p.require("classifier.weight", numLabels, hidden);
  }
}

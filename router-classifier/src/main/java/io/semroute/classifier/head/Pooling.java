package io.semroute.classifier.head;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import io.semroute.classifier.encoder.Ops;

/** How a sequence head turns per-token hidden states into one vector. */
public enum Pooling {
  /** The first token ([CLS]). */
  CLS,
  /** Average over real (unpadded) tokens. */
  MEAN;

  public static Pooling fromConfig(String value, String source) {
    return switch (value) {
      case "cls" -> CLS;
      case "mean" -> MEAN;
      default ->
          throw new CheckpointFormatException(
              source + ": classifier_pooling must be 'cls' or 'mean', got '" + value + "'");
    };
  }

  /** [B,S,H] and [B,S] mask to [B,H]. */
  public NDArray pool(NDArray hidden, NDArray mask) {
    return this == CLS ? Ops.firstToken(hidden) : Ops.meanPool(hidden, mask);
  }
}

package io.semroute.classifier.head;

import ai.djl.ndarray.NDArray;

/**
 * What a head does to a hidden vector before its classifier layer: ModernBERT's prediction head
 * (dense, activation, norm), BERT's pooler (dense, tanh), or nothing.
 */
@FunctionalInterface
public interface Transform {
  Transform IDENTITY = x -> x;

  NDArray apply(NDArray hidden);
}

package io.semroute.classifier.batch;

import ai.djl.ndarray.NDArray;
import io.semroute.classifier.encoder.Encoder;
import io.semroute.classifier.weights.Parameters;
import java.util.concurrent.atomic.AtomicInteger;

/** A real encoder that also counts its forward passes, to prove heads share one. */
final class CountingEncoder implements Encoder {
  final Encoder real;
  final AtomicInteger passes = new AtomicInteger();

  CountingEncoder(Encoder real) {
    this.real = real;
  }

  @Override
  public NDArray forward(NDArray inputIds, NDArray attentionMask) {
    passes.incrementAndGet();
    return real.forward(inputIds, attentionMask);
  }

  @Override
  public int hiddenSize() {
    return real.hiddenSize();
  }

  @Override
  public int maxPositions() {
    return real.maxPositions();
  }

  @Override
  public long padTokenId() {
    return real.padTokenId();
  }

  @Override
  public Parameters parameters() {
    return real.parameters();
  }
}

package io.semroute.extproc.limits;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request's hold on a model's limits: one of its concurrent slots (when it has a {@code
 * max_concurrent}) until {@link ModelLimiter#release}, and the token estimate charged to its
 * per-minute budget until {@link ModelLimiter#settle}.
 */
public final class ModelPermit {
  private final String model;
  private final boolean holdsSlot;
  private final List<String> tokenKeys;
  private final long estimatedTokens;
  private final AtomicBoolean released = new AtomicBoolean();

  ModelPermit(String model, boolean holdsSlot, List<String> tokenKeys, long estimatedTokens) {
    this.model = model;
    this.holdsSlot = holdsSlot;
    this.tokenKeys = List.copyOf(tokenKeys);
    this.estimatedTokens = estimatedTokens;
  }

  public String model() {
    return model;
  }

  boolean holdsSlot() {
    return holdsSlot;
  }

  List<String> tokenKeys() {
    return tokenKeys;
  }

  long estimatedTokens() {
    return estimatedTokens;
  }

  /** True the first time only: a slot is given back once however often release is called. */
  boolean markReleased() {
    return released.compareAndSet(false, true);
  }
}

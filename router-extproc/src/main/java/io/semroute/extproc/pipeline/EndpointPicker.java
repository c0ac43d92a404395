package io.semroute.extproc.pipeline;

import io.semroute.config.Backend;
import io.semroute.config.RouterConfig;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Weighted random choice among the backends serving a model (endpoint-picking mode). */
public final class EndpointPicker {
  private final Supplier<RandomGenerator> random;

  /**
   * @param random per-call source, e.g. {@code ThreadLocalRandom::current} (thread-safe)
   */
  public EndpointPicker(Supplier<RandomGenerator> random) {
    this.random = random;
  }

  public Optional<Backend> pick(RouterConfig cfg, String model) {
    List<Backend> candidates = cfg.backendsFor(model);
    long total = 0;
    for (Backend b : candidates) {
      total += Math.max(0, b.weight());
    }
    if (total == 0) {
      return candidates.stream().findFirst();
    }
    long ticket = random.get().nextLong(total);
    for (Backend b : candidates) {
      ticket -= Math.max(0, b.weight());
      if (ticket < 0) {
        return Optional.of(b);
      }
    }
    throw new IllegalStateException("unreachable: weights changed during the pick");
  }
}

package io.semroute.config;

import java.util.Objects;

/**
 * Ports, by the reference router's convention: gRPC 50051, HTTP API 8080, metrics 9190; and how
 * much classification work the gRPC server admits at once.
 *
 * @param maxInFlight requests whose classifiers may run at the same time (each holds one of the
 *     server's bounded worker threads while it waits); one more is handled by {@code onOverload} at
 *     once instead of queueing
 * @param onOverload what a request over {@code maxInFlight} gets
 */
public record Listeners(
    int grpcPort, int httpPort, int metricsPort, int maxInFlight, Overload onOverload) {
  /** Requests classified at once by default: several full micro-batches on a small CPU. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 128;

  public static final Listeners DEFAULTS = new Listeners(50051, 8080, 9190);

  /** What a request beyond {@code max_in_flight} gets. */
  public enum Overload {
    /**
     * Routed unclassified: {@code auto} to default_model, guards as their on_error says, no cache.
     */
    DEFAULT_MODEL,
    /** Answered 503 {@code overloaded} with {@code retry-after} (fail closed). */
    REJECT
  }

  public Listeners(int grpcPort, int httpPort, int metricsPort) {
    this(grpcPort, httpPort, metricsPort, DEFAULT_MAX_IN_FLIGHT, Overload.DEFAULT_MODEL);
  }

  public Listeners {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    Objects.requireNonNull(onOverload, "onOverload");
  }
}

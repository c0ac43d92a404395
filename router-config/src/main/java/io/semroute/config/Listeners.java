package io.semroute.config;

/** Ports, by the reference router's convention: gRPC 50051, HTTP API 8080, metrics 9190. */
public record Listeners(int grpcPort, int httpPort, int metricsPort) {
  public static final Listeners DEFAULTS = new Listeners(50051, 8080, 9190);
}

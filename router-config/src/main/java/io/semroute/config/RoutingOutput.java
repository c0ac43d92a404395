package io.semroute.config;

/**
 * How the router tells Envoy where to go. {@code x-selected-model} is always set; with {@code
 * endpointPicking} the router also sets {@code x-gateway-destination-endpoint} and the {@code
 * envoy.lb} dynamic metadata (Gateway API Inference Extension pattern).
 */
public record RoutingOutput(boolean endpointPicking) {
  public static final RoutingOutput DEFAULTS = new RoutingOutput(false);
}

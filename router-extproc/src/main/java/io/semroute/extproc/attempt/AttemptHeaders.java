package io.semroute.extproc.attempt;

import io.semroute.extproc.envoy.RoutingHeaders;

/**
 * The names shared by the router's two ext_proc passes when Envoy retries a failed attempt on the
 * next candidate model: the downstream pass (the listener's filter, which classifies and decides)
 * and the upstream pass (the fallback clusters' filter, run once per attempt on the endpoint Envoy
 * chose).
 */
public final class AttemptHeaders {
  /**
   * Request header the downstream pass sets: the models the attempts may go to, in order, the
   * decided model first (comma-separated). Envoy's fallback routes match on it together with {@code
   * x-selected-model}; the upstream pass removes it before the backend sees it.
   */
  public static final String CHAIN = RoutingHeaders.FALLBACK_CHAIN;

  /**
   * Request header the downstream pass sets with the chain: per model, what the body needs for it
   * (reasoning switch and effort), encoded by {@link AttemptPlan}. Removed by the upstream pass.
   */
  public static final String PLAN = RoutingHeaders.ATTEMPT_PLAN;

  /**
   * Response header the upstream pass sets on every attempt of a request with a plan: the model
   * that answered. The downstream pass then leaves the breakers alone (the upstream pass counted
   * each attempt on its own model).
   */
  public static final String ATTEMPT_MODEL = "x-vsr-attempt-model";

  /** Response header of an answer from a later attempt: the models that failed before. */
  public static final String FALLBACK_FROM = "x-vsr-fallback-from";

  /**
   * gRPC metadata the upstream filter's {@code grpc_service.initial_metadata} sends on every stream
   * it opens, so the router serves that stream as an upstream pass.
   */
  public static final String PHASE_METADATA = "x-vsr-ext-proc-phase";

  /** The value of {@link #PHASE_METADATA} that marks an upstream pass. */
  public static final String UPSTREAM_PHASE = "upstream";

  /** The endpoint metadata namespace of the fallback clusters' endpoints. */
  public static final String METADATA_NAMESPACE = "semroute";

  /** The key, in {@link #METADATA_NAMESPACE}, naming the model an endpoint serves. */
  public static final String METADATA_MODEL = "model";

  /**
   * The ext_proc request attribute that carries the chosen endpoint's model: a path into Envoy's
   * {@code xds.upstream_host_metadata} attribute (the selected host's metadata).
   */
  public static final String MODEL_ATTRIBUTE =
      "xds.upstream_host_metadata.filter_metadata['"
          + METADATA_NAMESPACE
          + "']['"
          + METADATA_MODEL
          + "']";

  /** Where Envoy's ext_proc filter puts the attributes it sends. */
  public static final String ATTRIBUTES_KEY = "envoy.filters.http.ext_proc";

  private AttemptHeaders() {}
}

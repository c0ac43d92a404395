package io.semroute.extproc.envoy;

import java.util.List;

/** Header names the router owns. */
public final class RoutingHeaders {
  /** Envoy routes match on this; only the router may set it. */
  public static final String SELECTED_MODEL = "x-selected-model";

  /** Endpoint-picking form (Gateway API Inference Extension). */
  public static final String DESTINATION_ENDPOINT = "x-gateway-destination-endpoint";

  /** Dynamic metadata namespace Envoy's ORIGINAL_DST load balancer reads. */
  public static final String LB_NAMESPACE = "envoy.lb";

  public static final String VSR_MODEL = "x-vsr-selected-model";
  public static final String VSR_CATEGORY = "x-vsr-selected-category";
  public static final String VSR_REASONING = "x-vsr-selected-reasoning";

  /**
   * The {@code decisions:} entry that chose the model ({@code none}: category routing), when the
   * config has decisions.
   */
  public static final String VSR_DECISION = "x-vsr-decision";

  /** The request's task type (task-type model), when computed. */
  public static final String VSR_TASK_TYPE = "x-vsr-task-type";

  /** The signals the decisions read: {@code task_type=maths(0.97); tokens=42; turns=1; ...}. */
  public static final String VSR_SIGNALS = "x-vsr-signals";

  /** Comma-separated PII types found in the request (to the upstream and back to the client). */
  public static final String VSR_PII_TYPES = "x-vsr-pii-types";

  /** On a refusal by the jailbreak guard. */
  public static final String VSR_JAILBREAK_BLOCKED = "x-vsr-jailbreak-blocked";

  /**
   * {@code flagged} (action flag: the guard fired, the request was forwarded) or {@code unchecked}
   * (on_error allow: the guard could not answer, the request was forwarded).
   */
  public static final String VSR_JAILBREAK = "x-vsr-jailbreak";

  /** {@code true} when a model's PII policy acted on the request. */
  public static final String VSR_PII_VIOLATION = "x-vsr-pii-violation";

  /** What the PII policy did: {@code rerouted}, {@code redacted} or {@code blocked}. */
  public static final String VSR_PII_ACTION = "x-vsr-pii-action";

  /** {@code true} on an answer served from the semantic cache. */
  public static final String VSR_CACHE_HIT = "x-vsr-cache-hit";

  /** Why an earlier model of the conversation was kept: {@code tool_call}, ... */
  public static final String VSR_MODEL_KEPT = "x-vsr-model-kept";

  /** The API the client spoke ({@code chat_completions}, {@code messages}, {@code responses}). */
  public static final String VSR_CLIENT_API = "x-vsr-client-api";

  /** The API the backend was sent (differs from the client's when the router translated). */
  public static final String VSR_UPSTREAM_API = "x-vsr-upstream-api";

  /**
   * Request header a gateway sets on a retry of a failed attempt: the models already tried
   * (comma-separated). For the router only: removed before the request goes upstream.
   */
  public static final String FALLBACK_EXCLUDE = "x-vsr-fallback-exclude";

  /**
   * Request header the router sets for Envoy's retries: the models the attempts may go to, in order
   * (see {@code attempt.AttemptHeaders}). Envoy's fallback routes match on it; the router's
   * upstream pass removes it before the backend sees it.
   */
  public static final String FALLBACK_CHAIN = "x-vsr-fallback-chain";

  /** Request header the router sets with the chain: what each attempt's body needs. */
  public static final String ATTEMPT_PLAN = "x-vsr-attempt-plan";

  /**
   * Request headers meant for the router alone: the backend never sees them. A client's copies are
   * removed on the request headers; the chain and plan the router sets itself later are removed per
   * attempt by its upstream pass (or the gateway).
   */
  public static final List<String> ROUTER_ONLY =
      List.of(FALLBACK_EXCLUDE, FALLBACK_CHAIN, ATTEMPT_PLAN);

  /** Headers a client must never be able to choose a route with. */
  public static final List<String> ROUTE_CHOOSING = List.of(SELECTED_MODEL, DESTINATION_ENDPOINT);

  private RoutingHeaders() {}
}

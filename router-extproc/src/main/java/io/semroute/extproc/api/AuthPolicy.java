package io.semroute.extproc.api;

/** Who may call a route. */
enum AuthPolicy {
  /**
   * Anyone: the probes ({@code /health}, {@code /ready}) and the client-facing model list, which
   * Envoy serves as its fallback route for {@code GET /v1/models}.
   */
  OPEN,

  /**
   * Callers with {@code Authorization: Bearer TOKEN} when the router has a token ({@code
   * listeners.api_token_env}); anyone when it has none. These routes answer from the loaded config,
   * so they also say 503 while the router is still loading.
   */
  BEARER_TOKEN
}

package io.semroute.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.config.ResilienceSettings;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.limits.FallbackPolicy;
import io.semroute.extproc.pipeline.LimitStage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code resilience.fallback} in the gateway, as Envoy does it with a retry policy and the router
 * as an upstream filter: when an attempt fails before its first response byte (connect failure,
 * 429, 502, 503, 504), the client's request goes through the router again with {@code
 * x-vsr-fallback-exclude} naming the models tried; the router routes it to the next candidate
 * (never one its PII policy forbids), rewrites the body for it and answers with {@code
 * x-vsr-fallback-from}. At most {@code max_attempts} attempts, and none after the first for a
 * request that named its model unless {@code on_explicit_model}.
 */
final class Fallback {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RouterConfig config;
  private final ResilienceSettings.Fallback settings;

  Fallback(RouterConfig config) {
    this.config = config;
    this.settings = config.resilience().fallback();
  }

  /** The attempts of one client request. */
  Attempts start(byte[] body) {
    boolean allowed = settings.enabled() && (settings.onExplicitModel() || autoModel(body));
    return new Attempts(allowed ? settings.maxAttempts() : 1);
  }

  private boolean autoModel(byte[] body) {
    try {
      JsonNode model = JSON.readTree(body).path("model");
      return model.isTextual() && config.isAutoModel(model.asText());
    } catch (IOException | RuntimeException e) {
      return false; // the router answers a bad body itself
    }
  }

  /** Whether an answer with this status, before any byte reached the client, is retried. */
  static boolean retryable(int status) {
    return FallbackPolicy.retryableStatus(status);
  }

  /** The models one request tried so far, and how many attempts it may make. */
  static final class Attempts {
    private final int max;
    private final List<String> tried = new ArrayList<>();

    Attempts(int max) {
      this.max = max;
    }

    /** Whether a failure of the attempt about to start may be retried. */
    boolean anotherAllowed() {
      return tried.size() + 1 < max;
    }

    /** The attempt to {@code model} failed; null when it never reached an upstream. */
    void failed(String model) {
      if (model != null && !tried.contains(model)) {
        tried.add(model);
      }
    }

    List<String> tried() {
      return List.copyOf(tried);
    }

    /** The client's headers for the next attempt: the models tried, for the router. */
    Map<String, List<String>> headers(Map<String, List<String>> client) {
      Map<String, List<String>> h = new LinkedHashMap<>(client);
      h.remove(LimitStage.FALLBACK_EXCLUDE_HEADER); // only the gateway says what was tried
      if (!tried.isEmpty()) {
        h.put(
            LimitStage.FALLBACK_EXCLUDE_HEADER, new ArrayList<>(List.of(String.join(",", tried))));
      }
      return h;
    }
  }
}

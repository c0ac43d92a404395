package io.semroute.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole routing configuration, validated and immutable. Built only by {@link ConfigLoader};
 * everything downstream may trust that every reference in it resolves.
 *
 * @param source the file it was read from (for logs and error messages); null when built in code
 * @param listeners ports of the gRPC, HTTP API and metrics listeners
 * @param backends vLLM endpoints and the models each serves
 * @param models configured models by name, in declaration order
 * @param reasoningFamilies reasoning families by name
 * @param categories routing categories in declaration order
 * @param defaultModel model used when nothing is confident enough
 * @param autoModelNames request {@code model} values that mean "route for me" (default {@code
 *     auto})
 * @param routing how the decision is expressed to Envoy
 * @param classifier classifier settings (models, thresholds, device)
 * @param semanticCache the response cache ({@link SemanticCacheSettings#OFF} when absent)
 * @param operations TLS, API token, decision-log and tracing settings
 * @param decisions the {@code signals:} and ordered {@code decisions:} (none: category routing
 *     only)
 * @param rateLimits per-tenant budgets ({@link RateLimitSettings#OFF} when absent)
 * @param resilience circuit breaking and fallback ({@link ResilienceSettings#OFF} when absent)
 */
public record RouterConfig(
    Path source,
    Listeners listeners,
    List<Backend> backends,
    Map<String, ModelSpec> models,
    Map<String, ReasoningFamily> reasoningFamilies,
    List<Category> categories,
    String defaultModel,
    Set<String> autoModelNames,
    RoutingOutput routing,
    ClassifierSettings classifier,
    SemanticCacheSettings semanticCache,
    OperationsSettings operations,
    DecisionSettings decisions,
    RateLimitSettings rateLimits,
    ResilienceSettings resilience) {

  /** A config without rate limits and resilience settings. */
  public RouterConfig(
      Path source,
      Listeners listeners,
      List<Backend> backends,
      Map<String, ModelSpec> models,
      Map<String, ReasoningFamily> reasoningFamilies,
      List<Category> categories,
      String defaultModel,
      Set<String> autoModelNames,
      RoutingOutput routing,
      ClassifierSettings classifier,
      SemanticCacheSettings semanticCache,
      OperationsSettings operations,
      DecisionSettings decisions) {
    this(
        source,
        listeners,
        backends,
        models,
        reasoningFamilies,
        categories,
        defaultModel,
        autoModelNames,
        routing,
        classifier,
        semanticCache,
        operations,
        decisions,
        RateLimitSettings.OFF,
        ResilienceSettings.OFF);
  }

  /**
   * A config without a semantic cache, signals or decisions, and with default operations settings.
   */
  public RouterConfig(
      Path source,
      Listeners listeners,
      List<Backend> backends,
      Map<String, ModelSpec> models,
      Map<String, ReasoningFamily> reasoningFamilies,
      List<Category> categories,
      String defaultModel,
      Set<String> autoModelNames,
      RoutingOutput routing,
      ClassifierSettings classifier) {
    this(
        source,
        listeners,
        backends,
        models,
        reasoningFamilies,
        categories,
        defaultModel,
        autoModelNames,
        routing,
        classifier,
        SemanticCacheSettings.OFF,
        OperationsSettings.DEFAULTS,
        DecisionSettings.NONE);
  }

  /** This config with another {@code classifier:} section (tests and tools). */
  public RouterConfig withClassifier(ClassifierSettings c) {
    return new RouterConfig(
        source,
        listeners,
        backends,
        models,
        reasoningFamilies,
        categories,
        defaultModel,
        autoModelNames,
        routing,
        c,
        semanticCache,
        operations,
        decisions,
        rateLimits,
        resilience);
  }

  /** This config with another {@code rate_limits:} section. */
  public RouterConfig withRateLimits(RateLimitSettings r) {
    return new RouterConfig(
        source,
        listeners,
        backends,
        models,
        reasoningFamilies,
        categories,
        defaultModel,
        autoModelNames,
        routing,
        classifier,
        semanticCache,
        operations,
        decisions,
        r,
        resilience);
  }

  /** This config with another {@code semantic_cache:} section. */
  public RouterConfig withSemanticCache(SemanticCacheSettings c) {
    return new RouterConfig(
        source,
        listeners,
        backends,
        models,
        reasoningFamilies,
        categories,
        defaultModel,
        autoModelNames,
        routing,
        classifier,
        c,
        operations,
        decisions,
        rateLimits,
        resilience);
  }

  /** This config with other {@code listeners:} (ports, admission limit). */
  public RouterConfig withListeners(Listeners l) {
    return new RouterConfig(
        source,
        l,
        backends,
        models,
        reasoningFamilies,
        categories,
        defaultModel,
        autoModelNames,
        routing,
        classifier,
        semanticCache,
        operations,
        decisions,
        rateLimits,
        resilience);
  }

  /** This config with other operations settings (TLS, API token, logging, tracing). */
  public RouterConfig withOperations(OperationsSettings o) {
    return new RouterConfig(
        source,
        listeners,
        backends,
        models,
        reasoningFamilies,
        categories,
        defaultModel,
        autoModelNames,
        routing,
        classifier,
        semanticCache,
        o,
        decisions,
        rateLimits,
        resilience);
  }

  public RouterConfig {
    semanticCache = semanticCache == null ? SemanticCacheSettings.OFF : semanticCache;
    operations = operations == null ? OperationsSettings.DEFAULTS : operations;
    decisions = decisions == null ? DecisionSettings.NONE : decisions;
    rateLimits = rateLimits == null ? RateLimitSettings.OFF : rateLimits;
    resilience = resilience == null ? ResilienceSettings.OFF : resilience;
    backends = List.copyOf(backends);
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    reasoningFamilies = Map.copyOf(reasoningFamilies);
    categories = List.copyOf(categories);
    autoModelNames = Set.copyOf(autoModelNames);
  }

  public boolean isAutoModel(String requestedModel) {
    return requestedModel != null && autoModelNames.contains(requestedModel);
  }

  public Optional<ModelSpec> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  public Optional<Category> category(String name) {
    return categories.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** Reasoning family of a model, if it declares one. */
  public Optional<ReasoningFamily> reasoningFamilyOf(String modelName) {
    return model(modelName).map(ModelSpec::reasoningFamily).map(reasoningFamilies::get);
  }

  /** Backends that serve a model, in declaration order. */
  public List<Backend> backendsFor(String modelName) {
    return backends.stream().filter(b -> b.models().contains(modelName)).toList();
  }
}

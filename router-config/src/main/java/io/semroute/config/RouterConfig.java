package io.semroute.config;

import java.nio.file.Path;
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
 * @param autoModelNames request {@code model} values that mean "route for me" (default {@code auto})
 * @param routing how the decision is expressed to Envoy
 * @param classifier classifier settings (models, thresholds, device)
 * @param decisions the {@code signals:} and ordered {@code decisions:} (none: category routing only)
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
    DecisionSettings decisions) {

  /** Without signals and decisions. */
  public RouterConfig(Path source, Listeners listeners, List<Backend> backends, Map<String, ModelSpec> models,
      Map<String, ReasoningFamily> reasoningFamilies, List<Category> categories, String defaultModel,
      Set<String> autoModelNames, RoutingOutput routing, ClassifierSettings classifier) {
    this(source, listeners, backends, models, reasoningFamilies, categories, defaultModel, autoModelNames, routing,
        classifier, DecisionSettings.NONE);
  }

  public RouterConfig {
    if (decisions == null) {
      decisions = DecisionSettings.NONE;
    }
    backends = List.copyOf(backends);
    models = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(models));
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

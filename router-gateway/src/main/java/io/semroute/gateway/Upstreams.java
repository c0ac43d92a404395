package io.semroute.gateway;

import io.semroute.config.Backend;
import io.semroute.config.RouterConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Where the gateway sends a request for each model: the config's {@code backends} (weighted choice
 * among those serving the model, as Envoy's per-model clusters do), with {@code --backend
 * model=host:port} replacing a model's backends for local runs. A request without {@code
 * x-selected-model}, or naming a model without backends, goes to the default model's backends: the
 * default route of deploy/envoy/envoy.yaml.
 */
final class Upstreams {
  /** One upstream address and its weight. */
  record Target(String host, int port, int weight) {
    String address() {
      return host + ":" + port;
    }
  }

  private final Map<String, List<Target>> byModel;
  private final String defaultModel;

  private Upstreams(Map<String, List<Target>> byModel, String defaultModel) {
    this.byModel = byModel;
    this.defaultModel = defaultModel;
  }

  /**
   * @param overrides model → {@code host:port}; each entry replaces the model's configured backends
   * @throws IllegalArgumentException for an override naming an unknown model or a bad address
   */
  static Upstreams of(RouterConfig config, Map<String, String> overrides) {
    Map<String, List<Target>> byModel = new LinkedHashMap<>();
    for (String model : config.models().keySet()) {
      List<Target> targets = new ArrayList<>();
      for (Backend b : config.backendsFor(model)) {
        targets.add(new Target(b.host(), b.port(), b.weight()));
      }
      byModel.put(model, List.copyOf(targets));
    }
    overrides.forEach(
        (model, address) -> {
          if (!byModel.containsKey(model)) {
            throw new IllegalArgumentException(
                "--backend "
                    + model
                    + "="
                    + address
                    + ": unknown model '"
                    + model
                    + "'; models in the config: "
                    + String.join(", ", byModel.keySet()));
          }
          byModel.put(model, List.of(parse("--backend " + model + "=" + address, address)));
        });
    return new Upstreams(byModel, config.defaultModel());
  }

  /**
   * Parses {@code host:port} ({@code [v6]:port} for IPv6).
   *
   * @param option how the user wrote it, for the error message
   */
  static Target parse(String option, String address) {
    int colon = address.lastIndexOf(':');
    String host = colon > 0 ? address.substring(0, colon) : "";
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (host.isEmpty() || (bare.contains(":") && bare.equals(host))) {
      throw new IllegalArgumentException(
          option + ": expected host:port, e.g. localhost:8001 ([::1]:8001 for IPv6)");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(option + ": port must be 1-65535");
    }
    return new Target(host, port, 1);
  }

  /** The model a request goes to: the selected one when it has backends, else the default. */
  String routeModel(String selectedModel) {
    if (selectedModel != null && !byModel.getOrDefault(selectedModel, List.of()).isEmpty()) {
      return selectedModel;
    }
    return defaultModel;
  }

  /** A weighted choice among the model's targets. */
  Target pick(String model, RandomGenerator random) {
    List<Target> targets = byModel.getOrDefault(model, List.of());
    if (targets.isEmpty()) {
      throw new IllegalStateException("no backend serves model " + model);
    }
    int total = targets.stream().mapToInt(Target::weight).sum();
    int r = random.nextInt(total);
    for (Target t : targets) {
      r -= t.weight();
      if (r < 0) {
        return t;
      }
    }
    return targets.get(targets.size() - 1);
  }

  /** model → addresses, for the start-up log line. */
  Map<String, List<String>> describe() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    byModel.forEach((m, ts) -> out.put(m, ts.stream().map(Target::address).toList()));
    return out;
  }
}

package io.semroute.extproc;

import io.semroute.config.ConfigException;
import io.semroute.config.ConfigLoader;
import io.semroute.extproc.attempt.FallbackRoutes;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code envoy-fallback}: prints the fallback routes and clusters of deploy/envoy/envoy.yaml for a
 * config (see {@link FallbackRoutes}), to paste into an Envoy config after editing models, backends
 * or {@code resilience.fallback.max_attempts}.
 */
@Command(
    name = "envoy-fallback",
    mixinStandardHelpOptions = true,
    description = {
      "Print the Envoy routes and clusters that retry a failed attempt on the next candidate",
      "model (deploy/envoy/envoy.yaml's fallback-* routes and clusters) for a config.",
      "The routes go before the model routes; the clusters next to the others."
    })
public final class EnvoyFallbackCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "Routing config YAML.")
  Path config;

  @Override
  public Integer call() {
    FallbackRoutes routes;
    try {
      routes = FallbackRoutes.of(ConfigLoader.load(config));
    } catch (ConfigException e) {
      System.err.println("envoy-fallback: invalid config: " + e.getMessage());
      return 2;
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.print(routes.yaml());
    out.flush();
    return 0;
  }
}

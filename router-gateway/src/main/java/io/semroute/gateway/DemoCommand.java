package io.semroute.gateway;

import io.semroute.config.ConfigException;
import io.semroute.extproc.pipeline.DecisionLogStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: router, gateway and mock backends in one process; a few prompts; a table. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Route a few prompts through router, gateway and mock backends, all in this process.",
      "Starts a mock vLLM per configured backend, the router (with the config's classifiers) and"
          + " the development gateway on free ports, sends maths, history, chit-chat, a jailbreak, a"
          + " PII prompt and a streamed answer through real HTTP, prints where each went and why, and"
          + " exits. Nothing is downloaded; no Docker needed."
    })
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      defaultValue = "config.yaml",
      description = "Router config (default ${DEFAULT-VALUE}, the repository's root config).")
  Path config;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(config)) {
      System.err.println(
          "demo: no config at "
              + config.toAbsolutePath()
              + "; run it from the repository root or pass --config FILE");
      return 2;
    }
    // The table is the demo's output: the router's decision log (JSON lines on stdout) would bury
    // it.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(DecisionLogStage.LOGGER))
        .setLevel(ch.qos.logback.classic.Level.OFF);
    System.out.println(
        "demo: starting mock backends, the router (loading classifiers) and the gateway ...");
    List<Demo.Outcome> outcomes;
    try (Demo demo = Demo.start(config)) {
      System.out.printf(
          "demo: gateway on http://127.0.0.1:%d, sending %d prompts%n%n",
          demo.gatewayPort(), Demo.PROMPTS.size());
      outcomes = demo.run(Demo.PROMPTS);
    } catch (ConfigException e) {
      System.err.println("demo: invalid config: " + e.getMessage());
      return 2;
    }
    System.out.print(Demo.table(outcomes));
    long failed = outcomes.stream().filter(o -> o.status() >= 500).count();
    if (failed > 0) {
      System.err.printf("demo: %d request(s) failed with a server error%n", failed);
      return 1;
    }
    System.out.println();
    System.out.println(
        "demo: done. Try it by hand: `serve`, two `mock-vllm`s and `gateway` (README, Quick start).");
    return 0;
  }
}

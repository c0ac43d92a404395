package io.semroute.app;

import io.semroute.app.bench.E2eBenchCommand;
import io.semroute.extproc.EnvoyFallbackCommand;
import io.semroute.extproc.ServeCommand;
import io.semroute.gateway.DemoCommand;
import io.semroute.gateway.GatewayCommand;
import io.semroute.peer.mock.MockVllmCommand;
import io.semroute.tools.cli.BenchCommand;
import io.semroute.tools.cli.ClassifyCommand;
import io.semroute.tools.cli.EmbedCommand;
import io.semroute.tools.cli.EvalCommand;
import io.semroute.tools.cli.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one runnable jar: {@code java -jar router.jar <subcommand>}. Each subcommand lives beside the
 * code it drives; this class only wires them together.
 */
@Command(
    name = "router",
    mixinStandardHelpOptions = true,
    version = "semantic-router 0.1.0",
    description = "Semantic router for LLM inference: an Envoy ext_proc sidecar.",
    subcommands = {
      ServeCommand.class,
      EnvoyFallbackCommand.class,
      MockVllmCommand.class,
      GatewayCommand.class,
      DemoCommand.class,
      ClassifyCommand.class,
      EmbedCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      BenchCommand.class,
      E2eBenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * The command tree; {@code classify --config} reads router configs through {@link
   * ConfigTaskModels}.
   */
  static CommandLine commandLine() {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    return new CommandLine(
        new Main(),
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            return cls == ClassifyCommand.class
                ? cls.cast(new ClassifyCommand(new ConfigTaskModels()))
                : defaults.create(cls);
          }
        });
  }

  public static void main(String[] args) {
    // Model code never reaches the network: weights come from the classpath or a local directory.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    System.exit(commandLine().execute(args));
  }
}

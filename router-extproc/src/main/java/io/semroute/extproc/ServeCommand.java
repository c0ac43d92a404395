package io.semroute.extproc;

import io.semroute.config.ConfigException;
import io.semroute.extproc.pipeline.RequestSummary;
import io.semroute.extproc.server.RouterServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: the Envoy ext_proc gRPC service plus the small HTTP API. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the Envoy ext_proc gRPC service and the HTTP API on the config's listener ports.",
      "The config file is watched; valid edits apply without restart, broken ones are refused."
    })
public final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--config", required = true, description = "Routing config YAML.")
  Path config;

  @Override
  public Integer call() throws Exception {
    RouterServer service;
    try {
      service = RouterServer.start(config, ServeCommand::logRecord);
    } catch (ConfigException e) {
      System.err.println("serve: invalid config: " + e.getMessage());
      return 2;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "shutdown"));
    service.awaitTermination();
    return 0;
  }

  private static void logRecord(RequestSummary r) {
    if (r.routedDecision() != null && log.isDebugEnabled()) {
      log.debug(
          "{} {} -> {} [{}] usage={}",
          r.method(),
          r.path(),
          r.routedDecision().model(),
          r.routedDecision().reason(),
          r.usage());
    }
  }
}

package io.semroute.extproc;

import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.api.HttpApiServer;
import io.semroute.extproc.server.RequestRecord;
import io.semroute.extproc.server.Router;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: the Envoy ext_proc gRPC service plus the small HTTP API. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the Envoy ext_proc gRPC service (ports from the config's listeners).")
public final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Option(names = "--config", required = true, description = "Routing config YAML.")
  Path config;

  @Override
  public Integer call() throws Exception {
    RouterConfig initial;
    try {
      initial = ConfigLoader.load(config);
    } catch (RuntimeException e) {
      System.err.println("serve: cannot load config: " + e.getMessage());
      return 2;
    }
    AtomicReference<RouterConfig> current = new AtomicReference<>(initial);
    int grpcPort = initial.listeners().grpcPort();
    Router router =
        Router.start(
            new InetSocketAddress(grpcPort), current::get, ThreadLocalRandom::current, ServeCommand::logRecord);
    HttpApiServer api =
        new HttpApiServer(new InetSocketAddress(initial.listeners().httpPort()), current::get, () -> true)
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("shutting down: draining open streams");
      api.close();
      router.close();
    }, "shutdown"));
    log.info("semantic router serving ext_proc on :{} and HTTP API on :{} with {} ({} models, {} categories)",
        grpcPort, api.port(), config, initial.models().size(), initial.categories().size());
    router.awaitTermination();
    return 0;
  }

  private static void logRecord(RequestRecord r) {
    if (r.decision() != null && log.isDebugEnabled()) {
      log.debug("{} {} -> {} [{}] usage={}", r.method(), r.path(), r.decision().model(),
          r.decision().reason(), r.usage());
    }
  }
}

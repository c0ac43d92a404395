package io.semroute.extproc;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Placeholder: replaced by the ext_proc server (issue 2). */
@Command(name = "serve", description = "Run the Envoy ext_proc gRPC service.")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "Routing config YAML.")
  Path config;

  @Override
  public Integer call() {
    System.err.println("serve: not implemented yet");
    return 1;
  }
}

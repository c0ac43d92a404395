package io.semroute.classifier.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: replaced by the built-in encoder CLI (issue 3). */
@Command(name = "embed", description = "Embed text with the built-in encoder.")
public final class EmbedCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("embed: not implemented yet");
    return 1;
  }
}

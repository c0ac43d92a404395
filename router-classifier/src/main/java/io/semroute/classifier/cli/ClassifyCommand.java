package io.semroute.classifier.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: replaced by the classifier CLI (issue 3). */
@Command(name = "classify", description = "Classify text with a model directory.")
public final class ClassifyCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("classify: not implemented yet");
    return 1;
  }
}

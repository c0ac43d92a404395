package io.semroute.classifier.cli;

import java.nio.file.Path;

/** Evaluation of sequence classifiers (category, jailbreak). Needs the classifier engine. */
final class SequenceEval {
  private SequenceEval() {}

  static int run(String task, Path data, Path model) {
    if (model == null) {
      System.err.println("eval: --model DIR is required for task " + task);
      return 2;
    }
    System.err.println("eval: loading " + model + " needs the classifier engine, which this build does not include yet");
    return 2;
  }
}

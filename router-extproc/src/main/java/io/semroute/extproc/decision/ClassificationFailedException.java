package io.semroute.extproc.decision;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A model could not classify in time (deadline passed, queue full, model error). The decision
 * engine answers it with the default model and a WARN: a request is never failed, and never routed
 * on a partial answer, because a classifier was slow.
 */
public final class ClassificationFailedException extends RuntimeException {
  public ClassificationFailedException(String what, Throwable cause) {
    super(what + " failed: " + describe(cause), cause);
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while ((root instanceof CompletionException || root instanceof ExecutionException)
        && root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }
}

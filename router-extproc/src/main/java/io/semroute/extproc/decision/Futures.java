package io.semroute.extproc.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for a group of queued classifications. */
public final class Futures {
  private Futures() {}

  /**
   * Waits for all futures (their own deadlines bound the wait) and returns the results in order.
   *
   * @throws ClassificationFailedException if any failed
   */
  public static <T> List<T> joinAll(List<CompletableFuture<T>> futures, String what) {
    List<T> out = new ArrayList<>(futures.size());
    try {
      for (CompletableFuture<T> f : futures) {
        out.add(f.join());
      }
    } catch (CompletionException | CancellationException e) {
      throw new ClassificationFailedException(what, e);
    }
    return out;
  }
}

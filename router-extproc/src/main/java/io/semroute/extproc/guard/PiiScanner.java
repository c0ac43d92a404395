package io.semroute.extproc.guard;

import io.semroute.classifier.pii.PiiEntity;
import io.semroute.extproc.classifiers.LoadedPiiDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Looks for personal data in every user turn. Today the result is a notice (which types, how
 * many); the values themselves never leave this class's result, so nothing logs them.
 */
public final class PiiScanner {
  private final LoadedPiiDetector model;

  public PiiScanner(LoadedPiiDetector model) {
    this.model = model;
  }

  public CompletableFuture<PiiFindings> scan(List<String> userTurns) {
    List<CompletableFuture<List<PiiEntity>>> futures = new ArrayList<>();
    for (String turn : userTurns) {
      futures.add(model.submit(turn));
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(done -> {
          TreeSet<String> types = new TreeSet<>();
          int count = 0;
          for (CompletableFuture<List<PiiEntity>> f : futures) {
            for (PiiEntity e : f.join()) {
              types.add(e.type());
              count++;
            }
          }
          return new PiiFindings(types, count);
        });
  }
}

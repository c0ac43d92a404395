package io.semroute.extproc.guard;

import io.semroute.extproc.classifiers.LoadedPiiDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Looks for personal data in every user turn. The result says which types and how many; the
 * values themselves never leave the detector, so nothing logs them.
 */
public final class PiiScanner {
  private final LoadedPiiDetector model;

  public PiiScanner(LoadedPiiDetector model) {
    this.model = model;
  }

  /** The detector (the classification API reads entities with their offsets). */
  public LoadedPiiDetector detector() {
    return model;
  }

  public CompletableFuture<PiiFindings> scan(List<String> userTurns) {
    List<CompletableFuture<List<String>>> futures = new ArrayList<>();
    for (String turn : userTurns) {
      futures.add(model.entityTypes(turn));
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(done -> {
          TreeSet<String> types = new TreeSet<>();
          int count = 0;
          for (CompletableFuture<List<String>> f : futures) {
            for (String type : f.join()) {
              types.add(type);
              count++;
            }
          }
          return new PiiFindings(types, count);
        });
  }
}

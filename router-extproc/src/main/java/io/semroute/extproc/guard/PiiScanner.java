package io.semroute.extproc.guard;

import io.semroute.config.PiiSettings;
import io.semroute.extproc.classifiers.DetectedEntity;
import io.semroute.extproc.classifiers.LoadedPiiDetector;
import io.semroute.extproc.openai.ParsedRequest.ClientText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Looks for personal data in every text a client supplies (user turns, tool results, each text
 * content part, prompts). Which detections count: the exact recognizers' always; a model entity
 * only at or above its type's confidence floor ({@link PiiSettings#minScore}), because the token
 * model alone marks a name or a capitalised word in 43 % of ordinary prompts. The result keeps
 * types, count and offsets; the values never leave the detector, so nothing logs them.
 *
 * <p>A text already scanned (same text) takes its entities from a bounded {@link VerdictCache}.
 */
public final class PiiScanner {
  private final LoadedPiiDetector model;
  private final PiiSettings settings;
  private final VerdictCache<List<PiiFindings.Located>> cache =
      new VerdictCache<>(VerdictCache.DEFAULT_CAPACITY);

  public PiiScanner(LoadedPiiDetector model, PiiSettings settings) {
    this.model = model;
    this.settings = settings;
  }

  /** The detector (the classification API reads entities with their offsets). */
  public LoadedPiiDetector detector() {
    return model;
  }

  public PiiScanner(LoadedPiiDetector model) {
    this(model, PiiSettings.OFF);
  }

  public CompletableFuture<PiiFindings> scan(List<ClientText> texts) {
    List<CompletableFuture<List<PiiFindings.Located>>> futures = new ArrayList<>();
    for (ClientText t : texts) {
      VerdictCache.Key key = VerdictCache.key(t.text());
      List<PiiFindings.Located> known = cache.get(key);
      if (known != null) {
        futures.add(CompletableFuture.completedFuture(at(known, t.pointer())));
        continue;
      }
      futures.add(
          model
              .entities(t.text())
              .thenApply(
                  found -> {
                    List<PiiFindings.Located> counted = new ArrayList<>();
                    for (DetectedEntity e : found) {
                      if (counts(e)) {
                        counted.add(new PiiFindings.Located(null, e.start(), e.end(), e.type()));
                      }
                    }
                    cache.put(key, List.copyOf(counted));
                    return at(counted, t.pointer());
                  }));
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<PiiFindings.Located> all = new ArrayList<>();
              futures.forEach(f -> all.addAll(f.join()));
              return PiiFindings.of(all);
            });
  }

  /** Recognizer entities always count; model entities from their type's floor up. */
  boolean counts(DetectedEntity e) {
    return !e.fromModel() || e.score() >= settings.minScore(e.type());
  }

  private static List<PiiFindings.Located> at(List<PiiFindings.Located> found, String pointer) {
    return found.stream()
        .map(e -> new PiiFindings.Located(pointer, e.start(), e.end(), e.type()))
        .toList();
  }

  public VerdictCache<List<PiiFindings.Located>> cache() {
    return cache;
  }
}

package io.semroute.extproc.cache;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The debug headers of a cached answer, beside {@code x-vsr-cache-hit: true}: which tier answered
 * and, for a semantic hit, how close the stored question was and which check found it to be the
 * same question. So a client (or an operator reading a trace) can tell an exact replay from an
 * answer given to a differently worded question.
 */
public final class CacheHitHeaders {
  public static final String TIER = "x-vsr-cache-tier";
  public static final String SIMILARITY = "x-vsr-cache-similarity";
  public static final String CHECK = "x-vsr-cache-check";

  private CacheHitHeaders() {}

  /** Header name to value, in a fixed order. */
  public static Map<String, String> of(SemanticCache.Hit hit) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(TIER, hit.tier());
    if (hit.semantic()) {
      out.put(SIMILARITY, String.format(Locale.ROOT, "%.3f", hit.similarity()));
      // Header values are ASCII: a WordNet match of a non-ASCII word is shown with '?'.
      out.put(CHECK, hit.check().replaceAll("[^\\x20-\\x7e]", "?"));
    }
    return out;
  }
}

package io.semroute.extproc.cache;

import java.util.function.Predicate;

/**
 * Where cache entries live. Every method takes the tenant's partition id and reads or writes that
 * partition only: there is no call that could reach another tenant's entries. Implementations are
 * thread-safe and never throw for a backend that is down (a miss, a skipped store).
 */
public interface CacheStore extends AutoCloseable {

  /**
   * One stored answer with what finds it again.
   *
   * @param contextKey the semantic tier's context, or null (exact tier only)
   * @param vector the last user message's embedding, or null
   * @param text the last user message (for {@link QuestionEquivalence}), or null
   */
  record Entry(
      String exactKey, String contextKey, float[] vector, String text, CachedAnswer answer) {}

  /** The closest entry of a context, how close, and the last user message it was stored for. */
  record Nearest(double similarity, CachedAnswer answer, String text) {}

  /** The entry stored under exactly this key, or null. */
  CachedAnswer exact(String tenant, String exactKey);

  /**
   * The entry of {@code contextKey} closest to {@code vector} (cosine; vectors are unit length)
   * among those at least {@code minSimilarity} close whose text {@code accept} accepts, or null.
   */
  Nearest nearest(
      String tenant,
      String contextKey,
      float[] vector,
      double minSimilarity,
      Predicate<String> accept);

  void put(String tenant, Entry entry, long ttlSeconds);

  /** A short description for logs. */
  String describe();

  @Override
  void close();

  static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      return -1;
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}

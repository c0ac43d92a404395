package io.semroute.extproc.cache;

/**
 * One request as the cache sees it: its partition, its key, and what the client allowed. Made by
 * {@link SemanticCache#begin}; the look-up fills in the embedding so the store need not compute it
 * again.
 */
public final class CacheRequest {
  private final String tenant;
  private final CacheKey key;
  private final boolean lookUp;
  private final boolean store;
  private final String skip;
  private float[] vector;
  private boolean vectorTried;

  private CacheRequest(String tenant, CacheKey key, boolean lookUp, boolean store, String skip) {
    this.tenant = tenant;
    this.key = key;
    this.lookUp = lookUp;
    this.store = store;
    this.skip = skip;
  }

  static CacheRequest of(String tenant, CacheKey key, boolean lookUp, boolean store) {
    return new CacheRequest(tenant, key, lookUp, store, null);
  }

  static CacheRequest skipped(String why) {
    return new CacheRequest(null, null, false, false, why);
  }

  /** The partition id (a hash of the tenant header's value, or {@code shared}). */
  public String tenant() {
    return tenant;
  }

  public CacheKey key() {
    return key;
  }

  /** The cache is searched for this request ({@code cache-control: no-cache} turns it off). */
  public boolean lookUp() {
    return lookUp;
  }

  /** The answer may be stored ({@code cache-control: no-store} turns it off). */
  public boolean store() {
    return store;
  }

  /** Why the request bypasses the cache entirely, or null. */
  public String skip() {
    return skip;
  }

  float[] vector() {
    return vector;
  }

  boolean vectorTried() {
    return vectorTried;
  }

  void vector(float[] v) {
    this.vector = v;
    this.vectorTried = true;
  }
}

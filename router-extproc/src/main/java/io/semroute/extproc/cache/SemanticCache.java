package io.semroute.extproc.cache;

import io.semroute.config.SemanticCacheSettings;
import io.semroute.extproc.clientapi.ClientRequest;
import io.semroute.extproc.openai.ParsedRequest;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The semantic cache of one config version: which requests take part (tenant, client's {@code
 * cache-control}, temperature policy), the exact tier, then the semantic tier, and the store.
 * Stateless itself; entries live in the {@link CacheStore}, which outlives config reloads.
 */
public final class SemanticCache {
  private static final Logger log = LoggerFactory.getLogger(SemanticCache.class);

  /** The partition of requests without the tenant header when {@code shared: true}. */
  static final String SHARED = "shared";

  /** The embedding of a text the encoder reads whole, or null when its window would cut it. */
  @FunctionalInterface
  public interface Embedder {
    CompletableFuture<float[]> embedWhole(String text);
  }

  /**
   * A cached answer found for a request.
   *
   * @param check for a semantic hit, what {@link QuestionEquivalence} found ("same words", or the
   *     WordNet matches it used); null for an exact hit
   */
  public record Hit(CachedAnswer answer, boolean semantic, double similarity, String check) {
    /** {@code exact} or {@code semantic}: the tier that answered. */
    public String tier() {
      return semantic ? "semantic" : "exact";
    }

    /**
     * The kind of check that passed, without the words it matched (they are prompt text): {@code
     * same words}, {@code wordnet} (synonyms or other forms) or {@code no conflict} (unmatched
     * words that only reword the request); null for an exact hit.
     */
    public String checkKind() {
      if (check == null) {
        return null;
      }
      return check.contains("no conflict")
          ? "no conflict"
          : check.startsWith("wordnet") ? "wordnet" : "same words";
    }
  }

  public static final SemanticCache OFF = new SemanticCache(SemanticCacheSettings.OFF, null, null);

  private final SemanticCacheSettings settings;
  private final CacheStore store;
  private final Embedder embedder;
  private final QuestionEquivalence equivalence;

  /**
   * @param store where entries live (null only when off)
   * @param embedder the semantic tier's encoder; null = exact tier only (so is {@code
   *     semantic_tier: false})
   */
  public SemanticCache(SemanticCacheSettings settings, CacheStore store, Embedder embedder) {
    this.settings = settings;
    this.store = store;
    boolean semantic = embedder != null && settings.enabled() && settings.semanticTier();
    this.embedder = semantic ? embedder : null;
    // WordNet is read here, when a config with the semantic tier is built (start-up or reload),
    // once per process: never on a request.
    this.equivalence = semantic ? QuestionEquivalence.shared() : null;
  }

  public boolean enabled() {
    return settings.enabled() && store != null;
  }

  public SemanticCacheSettings settings() {
    return settings;
  }

  /**
   * Whether and how this request takes part.
   *
   * @param header reads a request header (lower-case name) or returns null
   */
  public CacheRequest begin(Function<String, String> header, ParsedRequest request) {
    return begin(header, sampled -> CacheKey.of(request, sampled));
  }

  /** The same for a Messages or Responses request, keyed per API ({@link AgentCacheKey}). */
  public CacheRequest begin(Function<String, String> header, ClientRequest request) {
    return begin(header, sampled -> AgentCacheKey.of(request, sampled));
  }

  private CacheRequest begin(
      Function<String, String> header, Function<Boolean, CacheKey.Keyed> key) {
    boolean lookUp = true;
    boolean keep = true;
    String cc = header.apply("cache-control");
    if (cc != null) {
      for (String directive : cc.toLowerCase(Locale.ROOT).split(",")) {
        String d = directive.strip();
        lookUp &= !d.equals("no-cache");
        keep &= !d.equals("no-store");
      }
    }
    if (!lookUp && !keep) {
      return CacheRequest.skipped("cache-control: no-cache, no-store");
    }
    String tenant = tenant(header);
    if (tenant == null) {
      return CacheRequest.skipped("no " + settings.tenantHeader() + " header");
    }
    CacheKey.Keyed keyed = key.apply(settings.cacheSampled());
    if (keyed.key() == null) {
      return CacheRequest.skipped(keyed.skip());
    }
    return CacheRequest.of(tenant, keyed.key(), lookUp, keep);
  }

  /**
   * The partition: SHA-256 of the tenant header's value (so a raw {@code authorization} secret is
   * never kept or logged), {@link #SHARED} for requests without it when shared, else null.
   */
  private String tenant(Function<String, String> header) {
    String value = settings.tenantHeader() == null ? null : header.apply(settings.tenantHeader());
    String partition = TenantPartition.of(settings.tenantHeader(), value);
    if (partition != null) {
      return partition;
    }
    return settings.shared() ? SHARED : null;
  }

  /**
   * Exact tier, then the semantic tier: the closest stored last message of the same tenant and
   * context at or above the threshold that asks the same question ({@link QuestionEquivalence}).
   * Null on a miss (or when look-up is off for the request).
   */
  public Hit lookUp(CacheRequest r) {
    if (r.skip() != null || !r.lookUp()) {
      return null;
    }
    CachedAnswer exact = store.exact(r.tenant(), r.key().exact());
    if (exact != null) {
      return new Hit(exact, false, 1.0, null);
    }
    float[] v = vector(r);
    if (v == null) {
      return null;
    }
    String text = r.key().semanticText();
    CacheStore.Nearest near =
        store.nearest(
            r.tenant(),
            r.key().context(),
            v,
            settings.similarityThreshold(),
            stored -> stored != null && equivalence.compare(text, stored).same());
    return near == null
        ? null
        : new Hit(
            near.answer(), true, near.similarity(), equivalence.compare(text, near.text()).how());
  }

  /** Keeps a complete answer for the request's tenant (when its client allowed it). */
  public void store(CacheRequest r, CachedAnswer answer) {
    if (r.skip() != null || !r.store()) {
      return;
    }
    float[] v = vector(r);
    store.put(
        r.tenant(),
        new CacheStore.Entry(
            r.key().exact(),
            v == null ? null : r.key().context(),
            v,
            v == null ? null : r.key().semanticText(),
            answer),
        settings.ttlSeconds());
  }

  /** The last user message's embedding, when the request has a semantic tier and it fits whole. */
  private float[] vector(CacheRequest r) {
    if (r.vectorTried()) {
      return r.vector();
    }
    float[] v = null;
    if (embedder != null && r.key().semanticText() != null) {
      CompletableFuture<float[]> f = embedder.embedWhole(r.key().semanticText());
      if (f != null) {
        try {
          v = f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
          // Queue full, deadline passed: the exact tier still works.
          log.debug("semantic cache: no embedding ({}); exact tier only", e.getCause().toString());
        }
      }
    }
    r.vector(v);
    return v;
  }
}

package io.semroute.extproc.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The in-memory backend: one replica's entries in its heap, at most {@code maxEntries} over all
 * tenants, the least recently used evicted first, each entry expiring {@code ttl} after it was
 * stored. Entries are keyed by (tenant, exact key); the semantic tier scans only the entries of the
 * same tenant and context (an index kept beside the LRU map).
 */
public final class MemoryCacheStore implements CacheStore {
  private record Item(
      String tenant,
      String key,
      String context,
      float[] vector,
      String text,
      CachedAnswer answer,
      long expiresAtNanos) {}

  private final int maxEntries;
  private final LongSupplier nanos;
  private final LinkedHashMap<String, Item> lru = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Map<String, Item>> byContext = new HashMap<>();

  public MemoryCacheStore(int maxEntries) {
    this(maxEntries, System::nanoTime);
  }

  MemoryCacheStore(int maxEntries, LongSupplier nanos) {
    this.maxEntries = maxEntries;
    this.nanos = nanos;
  }

  private static String id(String tenant, String key) {
    return tenant + '\u0000' + key;
  }

  @Override
  public synchronized CachedAnswer exact(String tenant, String exactKey) {
    Item item = live(id(tenant, exactKey));
    return item == null ? null : item.answer();
  }

  @Override
  public synchronized Nearest nearest(
      String tenant,
      String contextKey,
      float[] vector,
      double minSimilarity,
      Predicate<String> accept) {
    Map<String, Item> items = byContext.get(id(tenant, contextKey));
    if (items == null) {
      return null;
    }
    Item best = null;
    double bestSim = -2;
    // Scanning must not count as a use (the LRU order), so the index holds the items itself.
    for (Map.Entry<String, Item> entry : new ArrayList<>(items.entrySet())) {
      Item item = entry.getValue();
      if (expired(item)) {
        remove(entry.getKey());
        continue;
      }
      double sim = CacheStore.dot(vector, item.vector());
      if (sim >= minSimilarity && sim > bestSim && accept.test(item.text())) {
        bestSim = sim;
        best = item;
      }
    }
    if (best == null) {
      return null;
    }
    lru.get(id(tenant, best.key())); // a hit is a use
    return new Nearest(bestSim, best.answer(), best.text());
  }

  @Override
  public synchronized void put(String tenant, Entry e, long ttlSeconds) {
    String id = id(tenant, e.exactKey());
    remove(id);
    Item item =
        new Item(
            tenant,
            e.exactKey(),
            e.contextKey(),
            e.vector(),
            e.text(),
            e.answer(),
            nanos.getAsLong() + ttlSeconds * 1_000_000_000L);
    lru.put(id, item);
    if (e.contextKey() != null && e.vector() != null) {
      byContext
          .computeIfAbsent(id(tenant, e.contextKey()), k -> new LinkedHashMap<>())
          .put(id, item);
    }
    Iterator<String> eldest = lru.keySet().iterator();
    List<String> evict = new ArrayList<>();
    while (lru.size() - evict.size() > maxEntries && eldest.hasNext()) {
      evict.add(eldest.next());
    }
    evict.forEach(this::remove);
  }

  /** Entries held now (expired ones not yet dropped included). */
  public synchronized int size() {
    return lru.size();
  }

  private Item live(String id) {
    Item item = lru.get(id);
    if (item != null && expired(item)) {
      remove(id);
      return null;
    }
    return item;
  }

  private boolean expired(Item item) {
    return nanos.getAsLong() - item.expiresAtNanos() >= 0;
  }

  private void remove(String id) {
    Item item = lru.remove(id);
    if (item != null && item.context() != null) {
      String ctx = id(item.tenant(), item.context());
      Map<String, Item> items = byContext.get(ctx);
      if (items != null) {
        items.remove(id);
        if (items.isEmpty()) {
          byContext.remove(ctx);
        }
      }
    }
  }

  @Override
  public String describe() {
    return "memory (max " + maxEntries + " entries)";
  }

  @Override
  public synchronized void close() {
    lru.clear();
    byContext.clear();
  }
}

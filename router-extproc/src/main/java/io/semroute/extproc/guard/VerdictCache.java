package io.semroute.extproc.guard;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU of guard results keyed by a SHA-256 hash of the screened text (the text itself is
 * not kept, so the cache holds no user data beyond a verdict). A conversation re-sends its earlier
 * turns with every request; their verdicts are taken from here, so a growing conversation pays only
 * for its new turns. One cache per guard per config snapshot (a reload with another model starts
 * empty).
 */
public final class VerdictCache<V> {
  public static final int DEFAULT_CAPACITY = 20_000;

  /** 256-bit key as four longs: collisions are not a practical concern. */
  record Key(long a, long b, long c, long d) {}

  private final Map<Key, V> entries;
  private long hits;
  private long misses;

  public VerdictCache(int capacity) {
    this.entries =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, V> eldest) {
            return size() > capacity;
          }
        };
  }

  static Key key(String text) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] h = sha.digest(text.getBytes(StandardCharsets.UTF_8));
    ByteBuffer buf = ByteBuffer.wrap(h);
    return new Key(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
  }

  public synchronized V get(Key key) {
    V v = entries.get(key);
    if (v == null) {
      misses++;
    } else {
      hits++;
    }
    return v;
  }

  public synchronized void put(Key key, V value) {
    entries.put(key, value);
  }

  /** Forgets every verdict (benchmarks: the cost without the cache). */
  public synchronized void clear() {
    entries.clear();
  }

  public synchronized int size() {
    return entries.size();
  }

  public synchronized long hits() {
    return hits;
  }

  public synchronized long misses() {
    return misses;
  }
}

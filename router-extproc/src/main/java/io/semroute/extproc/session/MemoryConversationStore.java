package io.semroute.extproc.session;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Conversations in this replica's heap: at most {@code maxEntries}, least recently used dropped
 * first, each gone after its TTL.
 */
public final class MemoryConversationStore implements ConversationStore {
  /** Enough for a busy replica's live conversations; each entry is a few hundred bytes. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private record Entry(String value, long expiresAt) {}

  private final LongSupplier millis;
  private final Map<String, Entry> entries;

  public MemoryConversationStore() {
    this(DEFAULT_MAX_ENTRIES, System::currentTimeMillis);
  }

  public MemoryConversationStore(int maxEntries, LongSupplier millis) {
    this.millis = millis;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > maxEntries;
          }
        };
  }

  @Override
  public synchronized void put(String key, String value, Duration ttl) {
    entries.put(key, new Entry(value, millis.getAsLong() + ttl.toMillis()));
  }

  @Override
  public synchronized String get(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (e.expiresAt() <= millis.getAsLong()) {
      entries.remove(key);
      return null;
    }
    return e.value();
  }
}

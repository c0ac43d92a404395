package io.semroute.extproc.session;

import java.time.Duration;

/**
 * Where the router keeps what it must remember between requests of one conversation (which model
 * issued a tool call, which backend holds a stored response, a session's model, a translated
 * conversation): short strings under keys, each with a time to live renewed on every write.
 */
public interface ConversationStore {
  void put(String key, String value, Duration ttl);

  /** The value, or null when absent, expired or unreachable. */
  String get(String key);
}

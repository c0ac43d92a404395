package io.semroute.config;

import io.semroute.config.SemanticCacheSettings.RedisSettings;

/**
 * The {@code session:} section: how long the router remembers conversations (which model issued a
 * tool call, which backend holds a stored response, which model a session uses) and whether a
 * session header keeps a conversation on its model.
 *
 * @param enabled whether the session header pins a conversation's model (tool loops and {@code
 *     previous_response_id} are followed either way)
 * @param header the request header naming the session, lower case
 * @param ttlSeconds how long a remembered conversation is kept after its last request
 * @param backend where conversations are kept
 * @param redis the Redis server for {@link Backend#REDIS}
 * @param switchMargin how much better (routing score) a new user turn's choice must be than the
 *     session's model to move the session to it
 */
public record SessionSettings(
    boolean enabled,
    String header,
    long ttlSeconds,
    Backend backend,
    RedisSettings redis,
    double switchMargin) {

  public enum Backend {
    MEMORY,
    REDIS
  }

  /** No {@code session:} section: no session header; tool loops remembered for an hour. */
  public static final SessionSettings DEFAULTS =
      new SessionSettings(false, "x-session-id", 3600, Backend.MEMORY, RedisSettings.DEFAULTS, 0.1);
}

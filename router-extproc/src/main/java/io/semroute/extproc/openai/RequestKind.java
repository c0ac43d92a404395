package io.semroute.extproc.openai;

import java.util.Optional;

/** The OpenAI endpoints whose bodies the router reads and rewrites. */
public enum RequestKind {
  CHAT_COMPLETIONS("/v1/chat/completions"),
  COMPLETIONS("/v1/completions");

  private final String path;

  RequestKind(String path) {
    this.path = path;
  }

  /**
   * @param path the request path without query string
   */
  public static Optional<RequestKind> forPath(String path) {
    for (RequestKind k : values()) {
      if (k.path.equals(path)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}

package io.semroute.extproc.clientapi;

import java.util.Optional;

/**
 * The inference APIs a client may speak to the router, each with the path it posts to. A backend
 * that does not serve the client's API gets the request translated to Chat Completions.
 */
public enum ClientApi {
  CHAT_COMPLETIONS("/v1/chat/completions"),
  MESSAGES("/v1/messages"),
  RESPONSES("/v1/responses");

  private final String path;

  ClientApi(String path) {
    this.path = path;
  }

  public String path() {
    return path;
  }

  /**
   * @param path the request path without query string
   */
  public static Optional<ClientApi> forPath(String path) {
    for (ClientApi api : values()) {
      if (api.path.equals(path)) {
        return Optional.of(api);
      }
    }
    return Optional.empty();
  }
}

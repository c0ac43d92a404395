package io.semroute.extproc.clientapi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request rewritten for a backend that speaks another API.
 *
 * @param path the backend's path (Envoy's {@code :path})
 * @param body the new body
 */
public record TranslatedRequest(String path, ObjectNode body) {
  public byte[] bytes() {
    return JsonText.bytes(body);
  }
}

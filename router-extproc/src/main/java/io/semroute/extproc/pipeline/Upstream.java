package io.semroute.extproc.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ClientApi;

/**
 * What the backend was sent.
 *
 * @param api the API the backend answers in: the client's own, or chat completions when the router
 *     translated
 * @param chatRequest the translated Chat Completions body, or null when not translated
 * @param backend the backend address picked in endpoint-picking mode, else null
 */
public record Upstream(ClientApi api, ObjectNode chatRequest, String backend) {
  public boolean translated() {
    return chatRequest != null;
  }
}

package io.semroute.extproc.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What the router knows of a Responses answer a follow-up names in {@code previous_response_id}.
 *
 * @param pin the model (and backend) that made it
 * @param conversation when the router translated it: the whole conversation up to it as Chat
 *     Completions messages (the backend kept nothing); null when the backend stored it itself
 */
public record StoredResponse(Pin pin, List<ObjectNode> conversation) {
  public StoredResponse {
    conversation = conversation == null ? null : List.copyOf(conversation);
  }
}

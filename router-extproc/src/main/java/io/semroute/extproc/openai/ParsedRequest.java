package io.semroute.extproc.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A validated OpenAI request body.
 *
 * @param body the mutable JSON tree (the rewriter edits it in place)
 * @param model the requested model name
 * @param userTexts the text of each user turn, oldest first (for completions: the prompt(s))
 * @param stream whether the client asked for SSE
 * @param clientTexts every text the client supplies that the PII scan reads, one per JSON string
 *     (user and tool message contents, each text content part, each prompt), with its location
 */
public record ParsedRequest(
    RequestKind kind,
    ObjectNode body,
    String model,
    List<String> userTexts,
    boolean stream,
    List<ClientText> clientTexts) {

  public ParsedRequest {
    userTexts = List.copyOf(userTexts);
    clientTexts = List.copyOf(clientTexts);
  }

  /**
   * One JSON string of the request body.
   *
   * @param pointer its JSON pointer, e.g. {@code /messages/2/content/1/text}
   * @param text its decoded value
   */
  public record ClientText(String pointer, String text) {}
}

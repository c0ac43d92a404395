package io.semroute.extproc.clientapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.openai.ParsedRequest.ClientText;
import java.util.List;

/**
 * What the pipeline needs from a Messages or Responses request, read once by that API's parser.
 *
 * @param body the mutable JSON tree (the rewriters edit it in place)
 * @param model the requested model name
 * @param stream whether the client asked for SSE
 * @param system the system prompt (Messages {@code system}, Responses {@code instructions} and
 *     system/developer items), blocks joined by newlines; empty when there is none
 * @param turns the user and assistant texts of the conversation, oldest first (tool calls and
 *     results are not turns: they are in {@code toolResults})
 * @param clientTexts every string the client supplies as data, one per JSON string with its JSON
 *     pointer, for the PII scan and redaction: user texts, tool results, text documents
 * @param toolResults the tool results and documents, screened by the guards like OpenAI {@code
 *     tool} messages
 * @param lastToolResultIds the tool-call ids the request answers: those of the tool results after
 *     the last assistant turn ({@code tool_use_id}, {@code call_id}, {@code tool_call_id}), even
 *     with a user text beside them; empty when the request hands back no results
 * @param userId the end user the client names ({@code metadata.user_id}; Responses {@code
 *     safety_identifier} or {@code user}), or null
 * @param reasoning what the client asked for ({@code thinking}; {@code reasoning.effort}), or null
 * @param previousResponseId Responses {@code previous_response_id}, or null
 * @param store Responses {@code store} as sent, or null (the API's default is true)
 */
public record ClientRequest(
    ClientApi api,
    ObjectNode body,
    String model,
    boolean stream,
    String system,
    List<Turn> turns,
    List<ClientText> clientTexts,
    List<ClientText> toolResults,
    List<String> lastToolResultIds,
    String userId,
    Reasoning reasoning,
    String previousResponseId,
    Boolean store) {

  public ClientRequest {
    turns = List.copyOf(turns);
    clientTexts = List.copyOf(clientTexts);
    toolResults = List.copyOf(toolResults);
    lastToolResultIds = List.copyOf(lastToolResultIds);
  }

  /** One text of the conversation: {@code role} is {@code user} or {@code assistant}. */
  public record Turn(String role, String text) {}

  /**
   * The client's reasoning request.
   *
   * @param enabled whether reasoning is on (Messages {@code thinking.type} other than {@code
   *     disabled}; Responses any effort but {@code none})
   * @param effort Responses {@code reasoning.effort}, or null
   * @param budgetTokens Messages {@code thinking.budget_tokens}, or null
   */
  public record Reasoning(boolean enabled, String effort, Integer budgetTokens) {}

  /** The text of each user turn, oldest first (what Chat Completions calls the user turns). */
  public List<String> userTexts() {
    return turns.stream().filter(t -> "user".equals(t.role())).map(Turn::text).toList();
  }

  /** The last user text, or empty when the conversation has none (e.g. only tool results). */
  public String lastUserText() {
    List<String> user = userTexts();
    return user.isEmpty() ? "" : user.get(user.size() - 1);
  }

  /** Whether the request only hands tool results back (the model that called the tool answers). */
  public boolean continuesToolCall() {
    return !lastToolResultIds.isEmpty();
  }
}

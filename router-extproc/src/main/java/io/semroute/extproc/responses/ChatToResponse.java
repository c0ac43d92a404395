package io.semroute.extproc.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ChatAnswer;
import io.semroute.extproc.clientapi.JsonText;
import io.semroute.extproc.clientapi.UnreadableAnswerException;

/**
 * A Chat Completions JSON answer as a Responses {@code response}: reasoning as a {@code reasoning}
 * item, the text (or refusal) as a {@code message} item, each tool call as a {@code function_call}
 * item whose {@code call_id} is the tool call's id; finish reason as status, usage mapped, the
 * request's settings echoed as the API does.
 */
public final class ChatToResponse {
  private ChatToResponse() {}

  /**
   * @param request the client's Responses request body (its settings are echoed)
   */
  public static byte[] translate(ObjectNode request, byte[] chatJson)
      throws UnreadableAnswerException {
    return JsonText.bytes(response(request, ChatAnswer.parse(chatJson)));
  }

  static ObjectNode response(ObjectNode request, ChatAnswer answer) {
    ObjectNode r =
        ResponseShapes.response(
            request, ResponseShapes.responseId(answer.id()), answer.created(), answer.model());
    ArrayNode output = (ArrayNode) r.get("output");
    if (answer.reasoning() != null && !answer.reasoning().isEmpty()) {
      ObjectNode item = ResponseShapes.reasoning(ResponseShapes.reasoningId(answer.id()));
      item.withArray("content").add(ResponseShapes.reasoningText(answer.reasoning()));
      output.add(item);
    }
    boolean text = answer.content() != null && !answer.content().isEmpty();
    boolean refusal = answer.refusal() != null && !answer.refusal().isEmpty();
    if (text || refusal) {
      ObjectNode item = ResponseShapes.message(ResponseShapes.messageId(answer.id()), "completed");
      item.withArray("content")
          .add(
              text
                  ? ResponseShapes.outputText(answer.content())
                  : ResponseShapes.refusal(answer.refusal()));
      output.add(item);
    }
    for (ChatAnswer.ToolCall call : answer.toolCalls()) {
      output.add(
          ResponseShapes.functionCall(
              ResponseShapes.functionCallId(call.id()),
              "completed",
              call.arguments(),
              call.id(),
              call.name()));
    }
    ResponseShapes.finish(r, answer.finishReason());
    r.set("usage", ResponseShapes.usage(answer.usage()));
    return r;
  }
}

package io.semroute.extproc.messages;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ChatAnswer;
import io.semroute.extproc.clientapi.JsonText;
import io.semroute.extproc.clientapi.UnreadableAnswerException;

/**
 * A Chat Completions JSON answer as a Messages {@code message}: reasoning as a {@code thinking}
 * block, the text as a {@code text} block, each tool call as a {@code tool_use} block (same id, so
 * the client's {@code tool_result} finds it again), finish reason and usage mapped.
 */
public final class ChatToMessage {
  private ChatToMessage() {}

  public static byte[] translate(byte[] chatJson) throws UnreadableAnswerException {
    return JsonText.bytes(message(ChatAnswer.parse(chatJson)));
  }

  static ObjectNode message(ChatAnswer answer) {
    ObjectNode m = MessageShapes.message(MessageShapes.messageId(answer.id()), answer.model());
    ArrayNode content = (ArrayNode) m.get("content");
    if (answer.reasoning() != null && !answer.reasoning().isEmpty()) {
      content.add(MessageShapes.thinkingBlock(answer.reasoning()));
    }
    String text = answer.content() != null ? answer.content() : answer.refusal();
    if (text != null && !text.isEmpty()) {
      content.add(MessageShapes.textBlock(text));
    }
    for (ChatAnswer.ToolCall call : answer.toolCalls()) {
      content.add(
          MessageShapes.toolUseBlock(call.id(), call.name(), ToolInput.of(call.arguments())));
    }
    String stop = MessageShapes.stopReason(answer.finishReason(), answer.stopSequence());
    if (answer.refusal() != null && answer.content() == null) {
      stop = "refusal";
    }
    m.put("stop_reason", stop);
    if (stop.equals("stop_sequence")) {
      m.put("stop_sequence", answer.stopSequence());
    }
    m.set("usage", MessageShapes.usage(answer.usage()));
    return m;
  }
}

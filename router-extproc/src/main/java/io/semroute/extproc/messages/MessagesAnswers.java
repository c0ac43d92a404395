package io.semroute.extproc.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ChatUsage;
import io.semroute.extproc.clientapi.JsonText;
import io.semroute.extproc.openai.Json;

/**
 * Answers the router makes itself in the Messages API's form: a guard's refusal as a {@code
 * message} with {@code stop_reason: "refusal"}, and any complete {@code message} (a refusal, a
 * cached answer) replayed as the API's event sequence for a client that asked for {@code stream}.
 */
public final class MessagesAnswers {
  private MessagesAnswers() {}

  /** A refusal: one text block, {@code stop_reason: "refusal"}, no tokens used. */
  public static ObjectNode refusal(String id, String model, String text) {
    ObjectNode m = MessageShapes.message(id, model);
    m.withArray("content").add(MessageShapes.textBlock(text));
    m.put("stop_reason", "refusal");
    m.set("usage", MessageShapes.usage(ChatUsage.NONE));
    return m;
  }

  /**
   * A stored answer for a new request: the same message under the new id (a client may key its
   * history by message id, so a replay never repeats one).
   */
  public static ObjectNode replay(ObjectNode cached, String id) {
    ObjectNode m = cached.deepCopy();
    m.put("id", id);
    return m;
  }

  public static byte[] json(ObjectNode message) {
    return JsonText.bytes(message);
  }

  /**
   * A complete message as the stream the API would have sent: {@code message_start} with the
   * content empty, each block whole in one delta, {@code message_delta} with the stop reason and
   * output tokens, {@code message_stop}.
   */
  public static byte[] stream(ObjectNode message) {
    MessageEvents events = new MessageEvents();
    ObjectNode start = message.deepCopy();
    start.putArray("content");
    start.putNull("stop_reason");
    start.putNull("stop_sequence");
    ObjectNode usage =
        message.get("usage") instanceof ObjectNode u ? u : MessageShapes.usage(ChatUsage.NONE);
    ObjectNode startUsage = usage.deepCopy();
    startUsage.put("output_tokens", 0);
    start.set("usage", startUsage);
    events.messageStart(start);
    int index = 0;
    for (JsonNode block : message.path("content")) {
      block(events, index++, block);
    }
    JsonNode stopSequence = message.get("stop_sequence");
    events.messageDelta(
        message.path("stop_reason").asText("end_turn"),
        stopSequence != null && stopSequence.isTextual() ? stopSequence.asText() : null,
        usage.deepCopy());
    events.messageStop();
    return events.drain();
  }

  private static void block(MessageEvents events, int index, JsonNode block) {
    switch (block.path("type").asText()) {
      case "text" -> {
        events.blockStart(index, MessageShapes.textBlock(""));
        events.textDelta(index, block.path("text").asText());
      }
      case "thinking" -> {
        events.blockStart(index, MessageShapes.thinkingBlock(""));
        events.thinkingDelta(index, block.path("thinking").asText());
        String signature = block.path("signature").asText("");
        if (!signature.isEmpty()) {
          events.signatureDelta(index, signature);
        }
      }
      case "tool_use" -> {
        events.blockStart(
            index,
            MessageShapes.toolUseBlock(
                block.path("id").asText(),
                block.path("name").asText(),
                Json.MAPPER.createObjectNode()));
        events.inputJsonDelta(index, JsonText.of(block.path("input")));
      }
      default -> events.blockStart(index, ((ObjectNode) block).deepCopy());
    }
    events.blockStop(index);
  }
}

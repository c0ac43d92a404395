package io.semroute.extproc.messages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.SseWriter;
import io.semroute.extproc.openai.Json;

/**
 * Writes the Messages API's stream events ({@code message_start}, {@code content_block_start},
 * {@code content_block_delta}, {@code content_block_stop}, {@code message_delta}, {@code
 * message_stop}, {@code error}), each as {@code event: TYPE} and its {@code data:} object.
 */
final class MessageEvents {
  private final SseWriter out = new SseWriter();

  void messageStart(ObjectNode message) {
    ObjectNode e = event("message_start");
    e.set("message", message);
    emit(e);
  }

  void blockStart(int index, ObjectNode block) {
    ObjectNode e = event("content_block_start");
    e.put("index", index);
    e.set("content_block", block);
    emit(e);
  }

  void textDelta(int index, String text) {
    delta(index, "text_delta", "text", text);
  }

  void thinkingDelta(int index, String thinking) {
    delta(index, "thinking_delta", "thinking", thinking);
  }

  void signatureDelta(int index, String signature) {
    delta(index, "signature_delta", "signature", signature);
  }

  void inputJsonDelta(int index, String partialJson) {
    delta(index, "input_json_delta", "partial_json", partialJson);
  }

  private void delta(int index, String type, String field, String value) {
    ObjectNode e = event("content_block_delta");
    e.put("index", index);
    ObjectNode d = e.putObject("delta");
    d.put("type", type);
    d.put(field, value);
    emit(e);
  }

  void blockStop(int index) {
    ObjectNode e = event("content_block_stop");
    e.put("index", index);
    emit(e);
  }

  void messageDelta(String stopReason, String stopSequence, ObjectNode usage) {
    ObjectNode e = event("message_delta");
    ObjectNode d = e.putObject("delta");
    d.put("stop_reason", stopReason);
    if (stopSequence == null) {
      d.putNull("stop_sequence");
    } else {
      d.put("stop_sequence", stopSequence);
    }
    e.set("usage", usage);
    emit(e);
  }

  void messageStop() {
    emit(event("message_stop"));
  }

  void error(int status, String message) {
    out.event("error", MessagesErrors.object(status, message));
  }

  byte[] drain() {
    return out.drain();
  }

  private static ObjectNode event(String type) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("type", type);
    return e;
  }

  private void emit(ObjectNode e) {
    out.event(e.get("type").asText(), e);
  }
}

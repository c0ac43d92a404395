package io.semroute.extproc.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.SseWriter;
import io.semroute.extproc.openai.Json;

/**
 * Writes the Responses API's stream events, each {@code event: TYPE} with a {@code data:} object
 * whose {@code sequence_number} counts from 0 over the stream.
 */
final class ResponseEvents {
  private final SseWriter out = new SseWriter();
  private int sequence;

  /** {@code response.created}, {@code response.in_progress}, or a final event by status. */
  void response(String type, ObjectNode response) {
    ObjectNode e = event(type);
    e.set("response", response.deepCopy());
    emit(e);
  }

  /** The final event: {@code response.completed}, {@code .incomplete} or {@code .failed}. */
  void finished(ObjectNode response) {
    String status = response.path("status").asText();
    response(
        switch (status) {
          case "incomplete" -> "response.incomplete";
          case "failed" -> "response.failed";
          default -> "response.completed";
        },
        response);
  }

  void itemAdded(int outputIndex, ObjectNode item) {
    item("response.output_item.added", outputIndex, item);
  }

  void itemDone(int outputIndex, ObjectNode item) {
    item("response.output_item.done", outputIndex, item);
  }

  private void item(String type, int outputIndex, ObjectNode item) {
    ObjectNode e = event(type);
    e.put("output_index", outputIndex);
    e.set("item", item.deepCopy());
    emit(e);
  }

  void partAdded(String itemId, int outputIndex, int contentIndex, ObjectNode part) {
    part("response.content_part.added", itemId, outputIndex, contentIndex, part);
  }

  void partDone(String itemId, int outputIndex, int contentIndex, ObjectNode part) {
    part("response.content_part.done", itemId, outputIndex, contentIndex, part);
  }

  private void part(
      String type, String itemId, int outputIndex, int contentIndex, ObjectNode part) {
    ObjectNode e = located(type, itemId, outputIndex);
    e.put("content_index", contentIndex);
    e.set("part", part.deepCopy());
    emit(e);
  }

  void textDelta(String itemId, int outputIndex, int contentIndex, String delta) {
    ObjectNode e = content("response.output_text.delta", itemId, outputIndex, contentIndex);
    e.put("delta", delta);
    e.putArray("logprobs");
    emit(e);
  }

  void textDone(String itemId, int outputIndex, int contentIndex, String text) {
    ObjectNode e = content("response.output_text.done", itemId, outputIndex, contentIndex);
    e.put("text", text);
    e.putArray("logprobs");
    emit(e);
  }

  void refusalDelta(String itemId, int outputIndex, int contentIndex, String delta) {
    ObjectNode e = content("response.refusal.delta", itemId, outputIndex, contentIndex);
    e.put("delta", delta);
    emit(e);
  }

  void refusalDone(String itemId, int outputIndex, int contentIndex, String refusal) {
    ObjectNode e = content("response.refusal.done", itemId, outputIndex, contentIndex);
    e.put("refusal", refusal);
    emit(e);
  }

  void reasoningDelta(String itemId, int outputIndex, int contentIndex, String delta) {
    ObjectNode e = content("response.reasoning_text.delta", itemId, outputIndex, contentIndex);
    e.put("delta", delta);
    emit(e);
  }

  void reasoningDone(String itemId, int outputIndex, int contentIndex, String text) {
    ObjectNode e = content("response.reasoning_text.done", itemId, outputIndex, contentIndex);
    e.put("text", text);
    emit(e);
  }

  void argumentsDelta(String itemId, int outputIndex, String delta) {
    ObjectNode e = located("response.function_call_arguments.delta", itemId, outputIndex);
    e.put("delta", delta);
    emit(e);
  }

  void argumentsDone(String itemId, int outputIndex, String name, String arguments) {
    ObjectNode e = located("response.function_call_arguments.done", itemId, outputIndex);
    e.put("name", name);
    e.put("arguments", arguments);
    emit(e);
  }

  /** The stream's {@code error} event. */
  void error(String code, String message) {
    out.event("error", ResponsesErrors.event(code, message, null, sequence++));
  }

  byte[] drain() {
    return out.drain();
  }

  private ObjectNode content(String type, String itemId, int outputIndex, int contentIndex) {
    ObjectNode e = located(type, itemId, outputIndex);
    e.put("content_index", contentIndex);
    return e;
  }

  private ObjectNode located(String type, String itemId, int outputIndex) {
    ObjectNode e = event(type);
    e.put("item_id", itemId);
    e.put("output_index", outputIndex);
    return e;
  }

  private ObjectNode event(String type) {
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("type", type);
    e.put("sequence_number", sequence++);
    return e;
  }

  private void emit(ObjectNode e) {
    out.event(e.get("type").asText(), e);
  }
}

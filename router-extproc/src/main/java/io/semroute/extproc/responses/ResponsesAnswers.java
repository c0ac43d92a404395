package io.semroute.extproc.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ChatUsage;
import io.semroute.extproc.clientapi.JsonText;

/**
 * Answers the router makes itself in the Responses API's form: a guard's refusal as a completed
 * {@code response} whose one message item holds a {@code refusal} part, and any complete {@code
 * response} (a refusal, a cached answer) replayed as the API's event sequence for a client that
 * asked for {@code stream}.
 */
public final class ResponsesAnswers {
  private ResponsesAnswers() {}

  /**
   * @param request the client's request body (its settings are echoed)
   * @param id the response id ({@code resp_...})
   */
  public static ObjectNode refusal(
      ObjectNode request, String id, long createdAt, String model, String text) {
    ObjectNode r = ResponseShapes.response(request, id, createdAt, model);
    ObjectNode item = ResponseShapes.message("msg_" + stripPrefix(id), "completed");
    item.withArray("content").add(ResponseShapes.refusal(text));
    r.withArray("output").add(item);
    r.put("status", "completed");
    r.set("usage", ResponseShapes.usage(ChatUsage.NONE));
    return r;
  }

  /**
   * A stored answer for a new request: the same response under the new id and creation time,
   * echoing the new request's {@code previous_response_id} (a client chains on response ids, so a
   * replay never repeats one).
   */
  public static ObjectNode replay(ObjectNode cached, String id, long createdAt) {
    ObjectNode r = cached.deepCopy();
    r.put("id", id);
    r.put("created_at", createdAt);
    return r;
  }

  public static byte[] json(ObjectNode response) {
    return JsonText.bytes(response);
  }

  /**
   * A complete response as the stream the API would have sent: {@code response.created} and {@code
   * response.in_progress} with no output, each output item added, its parts streamed whole in one
   * delta, done, then the final event for its status.
   */
  public static byte[] stream(ObjectNode response) {
    ResponseEvents events = new ResponseEvents();
    ObjectNode start = response.deepCopy();
    start.put("status", "in_progress");
    start.putArray("output");
    start.putNull("usage");
    start.putNull("incomplete_details");
    start.putNull("error");
    events.response("response.created", start);
    events.response("response.in_progress", start);
    int index = 0;
    for (JsonNode item : response.path("output")) {
      item(events, index++, (ObjectNode) item);
    }
    events.finished(response);
    return events.drain();
  }

  private static void item(ResponseEvents events, int index, ObjectNode item) {
    String id = item.path("id").asText();
    ObjectNode added = item.deepCopy();
    switch (item.path("type").asText()) {
      case "message" -> {
        added.put("status", "in_progress");
        added.putArray("content");
        events.itemAdded(index, added);
        int part = 0;
        for (JsonNode p : item.path("content")) {
          messagePart(events, id, index, part++, (ObjectNode) p);
        }
      }
      case "reasoning" -> {
        added.putArray("content");
        events.itemAdded(index, added);
        int part = 0;
        for (JsonNode p : item.path("content")) {
          String text = p.path("text").asText();
          events.partAdded(id, index, part, ResponseShapes.reasoningText(""));
          events.reasoningDelta(id, index, part, text);
          events.reasoningDone(id, index, part, text);
          events.partDone(id, index, part++, (ObjectNode) p);
        }
      }
      case "function_call" -> {
        added.put("status", "in_progress");
        added.put("arguments", "");
        events.itemAdded(index, added);
        String arguments = item.path("arguments").asText();
        events.argumentsDelta(id, index, arguments);
        events.argumentsDone(id, index, item.path("name").asText(), arguments);
      }
      default -> events.itemAdded(index, added);
    }
    events.itemDone(index, item);
  }

  private static void messagePart(
      ResponseEvents events, String id, int index, int part, ObjectNode p) {
    if (p.path("type").asText().equals("refusal")) {
      String refusal = p.path("refusal").asText();
      events.partAdded(id, index, part, ResponseShapes.refusal(""));
      events.refusalDelta(id, index, part, refusal);
      events.refusalDone(id, index, part, refusal);
    } else {
      String text = p.path("text").asText();
      events.partAdded(id, index, part, ResponseShapes.outputText(""));
      events.textDelta(id, index, part, text);
      events.textDone(id, index, part, text);
    }
    events.partDone(id, index, part, p);
  }

  private static String stripPrefix(String id) {
    return id.startsWith("resp_") ? id.substring("resp_".length()) : id;
  }
}

package io.semroute.extproc.clientapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.SseLines;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads a Chat Completions SSE body fed in chunks cut anywhere and tells a {@link
 * ChatStreamHandler} what each {@code data:} event says. Only choice 0 is read: the other APIs have
 * one answer per request. One per stream; not thread-safe.
 */
public final class ChatStreamDecoder {
  private final ChatStreamHandler handler;
  private final SseLines lines = new SseLines(this::line);
  private final Set<Integer> startedTools = new HashSet<>();
  private boolean started;
  private boolean finished;
  private boolean over;

  public ChatStreamDecoder(ChatStreamHandler handler) {
    this.handler = handler;
  }

  public void accept(byte[] chunk, boolean endOfStream) {
    lines.accept(chunk, endOfStream);
    if (endOfStream && !over) {
      over = true;
      handler.end(finished);
    }
  }

  private void line(String line) {
    String data = SseLines.data(line);
    if (over || data == null || data.isEmpty()) {
      return;
    }
    if (data.equals("[DONE]")) {
      over = true;
      handler.end(true);
      return;
    }
    JsonNode chunk;
    try {
      chunk = Json.MAPPER.readTree(data);
    } catch (IOException e) {
      fail("the backend sent an event that is not JSON");
      return;
    }
    if (chunk == null || !chunk.isObject()) {
      fail("the backend sent an event that is not a JSON object");
      return;
    }
    JsonNode error = chunk.get("error");
    if (error != null && !error.isNull() || "error".equals(chunk.path("object").asText())) {
      JsonNode body = error != null && error.isObject() ? error : chunk;
      fail(body.path("message").asText("the backend reported an error"));
      return;
    }
    if (!started) {
      started = true;
      handler.start(
          chunk.path("id").asText(""),
          chunk.path("model").asText(""),
          chunk.path("created").asLong(0));
    }
    JsonNode choices = chunk.path("choices");
    for (JsonNode choice : choices) {
      if (choice.path("index").asInt(0) == 0) {
        choice(choice);
      }
    }
    ChatUsage usage = ChatUsage.from(chunk.get("usage"));
    if (usage != null) {
      handler.usage(usage);
    }
  }

  private void choice(JsonNode choice) {
    JsonNode delta = choice.path("delta");
    String reasoning = text(delta, "reasoning");
    if (reasoning == null) {
      reasoning = text(delta, "reasoning_content");
    }
    if (reasoning != null && !reasoning.isEmpty()) {
      handler.reasoning(reasoning);
    }
    String content = text(delta, "content");
    if (content != null && !content.isEmpty()) {
      handler.text(content);
    }
    JsonNode toolCalls = delta.path("tool_calls");
    for (int i = 0; i < toolCalls.size(); i++) {
      JsonNode call = toolCalls.get(i);
      int index = call.path("index").asInt(i);
      JsonNode function = call.path("function");
      if (startedTools.add(index)) {
        handler.toolCallStart(
            index, call.path("id").asText("call_" + index), function.path("name").asText(""));
      }
      String arguments = text(function, "arguments");
      if (arguments != null && !arguments.isEmpty()) {
        handler.toolCallArguments(index, arguments);
      }
    }
    JsonNode finish = choice.get("finish_reason");
    if (finish != null && finish.isTextual()) {
      finished = true;
      JsonNode stop = choice.get("stop_reason");
      handler.finish(finish.asText(), stop != null && stop.isTextual() ? stop.asText() : null);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private void fail(String message) {
    over = true;
    handler.error(message);
  }
}

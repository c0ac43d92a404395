package io.semroute.extproc.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ChatStreamDecoder;
import io.semroute.extproc.clientapi.ChatStreamHandler;
import io.semroute.extproc.clientapi.ChatUsage;
import io.semroute.extproc.clientapi.StreamTranslator;
import java.util.HashSet;
import java.util.Set;

/**
 * A Chat Completions SSE answer as the Responses event stream, event by event: the first chunk
 * makes {@code response.created} and {@code response.in_progress}; reasoning, text and each tool
 * call become output items, opened ({@code output_item.added}, {@code content_part.added}) when
 * their first piece arrives, streamed as {@code reasoning_text.delta}, {@code output_text.delta} or
 * {@code function_call_arguments.delta}, and closed ({@code ...done}) when another kind starts;
 * {@code [DONE]} makes {@code response.completed} (or {@code response.incomplete} for a length or
 * content-filter finish) with the whole output and the usage. A backend error, or a stream cut
 * before its finish reason, ends with {@code response.failed} (or {@code error} if nothing was
 * created yet).
 */
public final class ChatToResponsesStream implements StreamTranslator, ChatStreamHandler {
  private enum Open {
    NONE,
    REASONING,
    TEXT,
    TOOL
  }

  private final ObjectNode request;
  private final ResponseEvents events = new ResponseEvents();
  private final ChatStreamDecoder decoder = new ChatStreamDecoder(this);
  private final Set<String> usedIds = new HashSet<>();
  private ObjectNode response;
  private String chatId;
  private boolean over;
  private Open open = Open.NONE;
  private int openTool = -1;
  private ObjectNode item;
  private final StringBuilder buffer = new StringBuilder();
  private String finishReason;
  private ChatUsage usage = ChatUsage.NONE;

  /**
   * @param request the client's Responses request body (its settings are echoed)
   */
  public ChatToResponsesStream(ObjectNode request) {
    this.request = request;
  }

  @Override
  public byte[] accept(byte[] chunk, boolean endOfStream) {
    decoder.accept(chunk, endOfStream);
    return events.drain();
  }

  /**
   * @return the response as the last event carried it (with its whole output), or null before the
   *     first chunk
   */
  public ObjectNode response() {
    return response;
  }

  @Override
  public void start(String id, String model, long created) {
    chatId = id;
    response = ResponseShapes.response(request, ResponseShapes.responseId(id), created, model);
    events.response("response.created", response);
    events.response("response.in_progress", response);
  }

  @Override
  public void reasoning(String delta) {
    if (over) {
      return;
    }
    if (open != Open.REASONING) {
      openItem(
          Open.REASONING,
          -1,
          ResponseShapes.reasoning(uniqueId(ResponseShapes.reasoningId(chatId))));
      events.partAdded(itemId(), index(), 0, ResponseShapes.reasoningText(""));
    }
    buffer.append(delta);
    events.reasoningDelta(itemId(), index(), 0, delta);
  }

  @Override
  public void text(String delta) {
    if (over) {
      return;
    }
    if (open != Open.TEXT) {
      openItem(
          Open.TEXT,
          -1,
          ResponseShapes.message(uniqueId(ResponseShapes.messageId(chatId)), "in_progress"));
      events.partAdded(itemId(), index(), 0, ResponseShapes.outputText(""));
    }
    buffer.append(delta);
    events.textDelta(itemId(), index(), 0, delta);
  }

  @Override
  public void toolCallStart(int index, String id, String name) {
    if (over) {
      return;
    }
    openItem(
        Open.TOOL,
        index,
        ResponseShapes.functionCall(
            uniqueId(ResponseShapes.functionCallId(id)), "in_progress", "", id, name));
  }

  @Override
  public void toolCallArguments(int index, String delta) {
    if (over) {
      return;
    }
    if (open != Open.TOOL || openTool != index) {
      // An item once done cannot be reopened; vLLM and OpenAI stream one tool call after the
      // other, so this only happens with a backend that interleaves them.
      error("the backend interleaved the arguments of parallel tool calls");
      return;
    }
    buffer.append(delta);
    events.argumentsDelta(itemId(), index(), delta);
  }

  @Override
  public void finish(String finishReason, String stopSequence) {
    this.finishReason = finishReason;
  }

  @Override
  public void usage(ChatUsage usage) {
    this.usage = usage;
  }

  @Override
  public void end(boolean complete) {
    if (over) {
      return;
    }
    if (!complete || response == null) {
      error(
          response == null
              ? "the backend's stream ended without an answer"
              : "the backend's stream ended before the answer was complete");
      return;
    }
    over = true;
    closeItem();
    ResponseShapes.finish(response, finishReason);
    response.set("usage", ResponseShapes.usage(usage));
    events.finished(response);
  }

  @Override
  public void error(String message) {
    if (over) {
      return;
    }
    over = true;
    if (response == null) {
      events.error("server_error", message);
      return;
    }
    response.put("status", "failed");
    ObjectNode error = response.putObject("error");
    error.put("code", "server_error");
    error.put("message", message);
    events.finished(response);
  }

  private void openItem(Open kind, int tool, ObjectNode newItem) {
    closeItem();
    open = kind;
    openTool = tool;
    item = newItem;
    buffer.setLength(0);
    events.itemAdded(index(), item);
  }

  private void closeItem() {
    if (open == Open.NONE) {
      return;
    }
    String text = buffer.toString();
    switch (open) {
      case REASONING -> {
        events.reasoningDone(itemId(), index(), 0, text);
        ObjectNode part = ResponseShapes.reasoningText(text);
        events.partDone(itemId(), index(), 0, part);
        item.withArray("content").add(part);
      }
      case TEXT -> {
        events.textDone(itemId(), index(), 0, text);
        ObjectNode part = ResponseShapes.outputText(text);
        events.partDone(itemId(), index(), 0, part);
        item.put("status", "completed");
        item.withArray("content").add(part);
      }
      case TOOL -> {
        events.argumentsDone(itemId(), index(), item.get("name").asText(), text);
        item.put("status", "completed");
        item.put("arguments", text);
      }
      default -> {}
    }
    events.itemDone(index(), item);
    ((ArrayNode) response.get("output")).add(item);
    open = Open.NONE;
    openTool = -1;
    item = null;
  }

  /** The open item's place in {@code output}: it is added there when done. */
  private int index() {
    return response.get("output").size();
  }

  private String itemId() {
    return item.get("id").asText();
  }

  /** Item ids must differ; a second item of a kind (rare) gets its output index appended. */
  private String uniqueId(String id) {
    String unique = usedIds.contains(id) ? id + "_" + index() : id;
    usedIds.add(unique);
    return unique;
  }
}

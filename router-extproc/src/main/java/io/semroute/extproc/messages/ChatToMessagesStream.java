package io.semroute.extproc.messages;

import io.semroute.extproc.clientapi.ChatStreamDecoder;
import io.semroute.extproc.clientapi.ChatStreamHandler;
import io.semroute.extproc.clientapi.ChatUsage;
import io.semroute.extproc.clientapi.StreamTranslator;
import io.semroute.extproc.openai.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * A Chat Completions SSE answer as the Messages event stream, event by event: the first chunk opens
 * the message ({@code message_start}); reasoning, text and each tool call become content blocks,
 * opened when their first piece arrives and closed when another kind starts (the API's blocks never
 * interleave); tool-call argument pieces become {@code input_json_delta}s; the finish reason and
 * the final usage chunk make {@code message_delta}, and {@code [DONE]} {@code message_stop}. A
 * backend error, or a stream cut before its finish reason, ends with an {@code error} event.
 */
public final class ChatToMessagesStream implements StreamTranslator, ChatStreamHandler {
  private enum Open {
    NONE,
    THINKING,
    TEXT,
    TOOL
  }

  private final MessageEvents events = new MessageEvents();
  private final ChatStreamDecoder decoder = new ChatStreamDecoder(this);
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private boolean started;
  private boolean over;
  private int nextBlock;
  private Open open = Open.NONE;
  private int openTool = -1;
  private String finishReason;
  private String stopSequence;
  private ChatUsage usage = ChatUsage.NONE;

  @Override
  public byte[] accept(byte[] chunk, boolean endOfStream) {
    decoder.accept(chunk, endOfStream);
    return events.drain();
  }

  @Override
  public void start(String id, String model, long created) {
    started = true;
    events.messageStart(MessageShapes.message(MessageShapes.messageId(id), model));
  }

  @Override
  public void reasoning(String delta) {
    if (over) {
      return;
    }
    if (open != Open.THINKING) {
      openBlock(Open.THINKING, -1);
      events.blockStart(nextBlock - 1, MessageShapes.thinkingBlock(""));
    }
    events.thinkingDelta(nextBlock - 1, delta);
  }

  @Override
  public void text(String delta) {
    if (over) {
      return;
    }
    if (open != Open.TEXT) {
      openBlock(Open.TEXT, -1);
      events.blockStart(nextBlock - 1, MessageShapes.textBlock(""));
    }
    events.textDelta(nextBlock - 1, delta);
  }

  @Override
  public void toolCallStart(int index, String id, String name) {
    if (over) {
      return;
    }
    openBlock(Open.TOOL, index);
    toolBlocks.put(index, nextBlock - 1);
    events.blockStart(
        nextBlock - 1, MessageShapes.toolUseBlock(id, name, Json.MAPPER.createObjectNode()));
  }

  @Override
  public void toolCallArguments(int index, String delta) {
    if (over) {
      return;
    }
    Integer block = toolBlocks.get(index);
    if (open == Open.TOOL && openTool == index) {
      events.inputJsonDelta(block, delta);
    } else {
      // A block once closed cannot be reopened in this API; vLLM and OpenAI stream one tool call
      // after the other, so this only happens with a backend that interleaves them.
      error("the backend interleaved the arguments of parallel tool calls");
    }
  }

  @Override
  public void finish(String finishReason, String stopSequence) {
    this.finishReason = finishReason;
    this.stopSequence = stopSequence;
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
    if (!complete) {
      error("the backend's stream ended before the answer was complete");
      return;
    }
    if (!started) {
      error("the backend's stream ended without an answer");
      return;
    }
    closeBlock();
    String stop = MessageShapes.stopReason(finishReason, stopSequence);
    events.messageDelta(
        stop, stop.equals("stop_sequence") ? stopSequence : null, MessageShapes.usage(usage));
    events.messageStop();
    over = true;
  }

  @Override
  public void error(String message) {
    if (over) {
      return;
    }
    over = true;
    closeBlock();
    events.error(502, message);
  }

  private void openBlock(Open kind, int tool) {
    closeBlock();
    open = kind;
    openTool = tool;
    nextBlock++;
  }

  private void closeBlock() {
    if (open != Open.NONE) {
      events.blockStop(nextBlock - 1);
      open = Open.NONE;
      openTool = -1;
    }
  }
}

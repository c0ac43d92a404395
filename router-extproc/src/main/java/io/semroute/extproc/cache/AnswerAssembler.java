package io.semroute.extproc.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.SseLines;
import io.semroute.extproc.openai.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Rebuilds the answer from the response as it passes, to decide whether it may be cached: a 200
 * JSON body with one choice that finished, or an SSE stream read chunk by chunk (lines may be cut
 * anywhere) up to {@code data: [DONE]}, with its content, finish reason and usage. Anything else —
 * an error status, an error event, a stream that ends before {@code [DONE]} or without a finish
 * reason, several choices, a tool call, a body over {@link #MAX_BYTES} — is not cached. One per
 * response, fed in order.
 */
public final class AnswerAssembler {
  /** Answers larger than this are passed on but not cached. */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  private final boolean chat;
  private final boolean sse;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final SseLines lines = new SseLines(this::line);
  private final StringBuilder content = new StringBuilder();
  private StringBuilder reasoning;
  private String model;
  private String finishReason;
  private Usage usage;
  private boolean done;
  private String refused;
  private long seen;
  private boolean ended;

  /**
   * @param chat a chat completion (else a text completion)
   * @param status the upstream status; anything but 200 is never stored
   * @param sse the response is {@code text/event-stream}
   */
  public AnswerAssembler(boolean chat, int status, boolean sse) {
    this.chat = chat;
    this.sse = sse;
    if (status != 200) {
      refused = "status " + status;
    }
  }

  public void accept(byte[] chunk, boolean endOfStream) {
    if (refused != null || ended) {
      ended |= endOfStream;
      return;
    }
    seen += chunk.length;
    if (seen > MAX_BYTES) {
      refuse("answer larger than " + MAX_BYTES + " bytes");
      pending.reset();
      ended |= endOfStream;
      return;
    }
    if (sse) {
      lines.accept(chunk, endOfStream);
    } else {
      pending.write(chunk, 0, chunk.length);
      if (endOfStream) {
        json(pending.toByteArray());
        pending.reset();
      }
    }
    ended |= endOfStream;
  }

  /** The answer to store, or null (see {@link #refusal()}). Call after the end of the stream. */
  public CachedAnswer result() {
    if (refusal() != null) {
      return null;
    }
    return new CachedAnswer(
        chat,
        model == null ? "" : model,
        content.toString(),
        finishReason,
        usage == null ? 0 : usage.completionTokens(),
        reasoning == null ? null : reasoning.toString());
  }

  /** Why the answer is not stored, or null when it is complete and storable. */
  public String refusal() {
    if (refused != null) {
      return refused;
    }
    if (!ended) {
      return "the response did not end";
    }
    if (sse && !done) {
      return "stream ended before data: [DONE]";
    }
    if (finishReason == null) {
      return "no finish_reason";
    }
    return null;
  }

  private void refuse(String why) {
    if (refused == null) {
      refused = why;
    }
  }

  private void line(String line) {
    String data = SseLines.data(line);
    if (data == null) {
      if (line.startsWith("event:") && line.contains("error")) {
        refuse("error event in the stream");
      }
      return;
    }
    if (data.isEmpty()) {
      return;
    }
    if (data.equals("[DONE]")) {
      done = true;
      return;
    }
    if (done) {
      refuse("data after [DONE]");
      return;
    }
    JsonNode node = parse(data.getBytes(StandardCharsets.UTF_8));
    if (node == null || node.has("error")) {
      refuse("error or unreadable event in the stream");
      return;
    }
    model(node);
    Usage u = Usage.from(node.get("usage"));
    if (u != null) {
      usage = u;
    }
    for (JsonNode choice : node.path("choices")) {
      if (choice.path("index").asInt(0) != 0) {
        refuse("more than one choice");
        return;
      }
      if (chat) {
        JsonNode delta = choice.path("delta");
        if (hasToolCall(delta)) {
          refuse("tool call");
          return;
        }
        if (delta.path("content").isTextual()) {
          content.append(delta.get("content").asText());
        }
        reasoning(delta);
      } else if (choice.path("text").isTextual()) {
        content.append(choice.get("text").asText());
      }
      finish(choice);
    }
  }

  private void json(byte[] bytes) {
    JsonNode node = parse(bytes);
    if (node == null || !node.isObject() || node.has("error")) {
      refuse("not a completion body");
      return;
    }
    model(node);
    usage = Usage.from(node.get("usage"));
    JsonNode choices = node.path("choices");
    if (choices.size() != 1) {
      refuse(choices.size() == 0 ? "no choice" : "more than one choice");
      return;
    }
    JsonNode choice = choices.get(0);
    if (chat) {
      JsonNode message = choice.path("message");
      if (hasToolCall(message)) {
        refuse("tool call");
        return;
      }
      if (!message.path("content").isTextual()) {
        refuse("no text content");
        return;
      }
      content.append(message.get("content").asText());
      reasoning(message);
    } else {
      if (!choice.path("text").isTextual()) {
        refuse("no text");
        return;
      }
      content.append(choice.get("text").asText());
    }
    finish(choice);
  }

  /**
   * vLLM's reasoning parsers: {@code reasoning_content} (and {@code reasoning} in newer versions).
   */
  private void reasoning(JsonNode message) {
    JsonNode r =
        message.has("reasoning_content")
            ? message.get("reasoning_content")
            : message.get("reasoning");
    if (r != null && r.isTextual()) {
      if (reasoning == null) {
        reasoning = new StringBuilder();
      }
      reasoning.append(r.asText());
    }
  }

  private void finish(JsonNode choice) {
    JsonNode f = choice.get("finish_reason");
    if (f != null && f.isTextual()) {
      finishReason = f.asText();
      if (finishReason.equals("tool_calls") || finishReason.equals("function_call")) {
        refuse("tool call");
      }
    }
  }

  private void model(JsonNode node) {
    if (model == null && node.path("model").isTextual()) {
      model = node.get("model").asText();
    }
  }

  private static boolean hasToolCall(JsonNode m) {
    JsonNode calls = m.get("tool_calls");
    return (calls != null && calls.isArray() && calls.size() > 0)
        || (m.get("function_call") != null && !m.get("function_call").isNull());
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }
}

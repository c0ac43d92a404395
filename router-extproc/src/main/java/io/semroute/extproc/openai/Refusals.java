package io.semroute.extproc.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The body of a guard's refusal in the form the request asked for, so an OpenAI client shows it as
 * an answer: a {@code chat.completion} (or {@code text_completion}) whose one choice ends with
 * {@code finish_reason: content_filter}, or the same as an SSE stream ({@code
 * chat.completion.chunk} events, then {@code data: [DONE]}) when the request asked for {@code
 * stream: true}.
 */
public final class Refusals {
  private Refusals() {}

  /** JSON completion body. */
  public static byte[] completion(
      RequestKind kind, String id, String model, long created, String text) {
    boolean chat = kind == RequestKind.CHAT_COMPLETIONS;
    ObjectNode root = envelope(id, chat ? "chat.completion" : "text_completion", model, created);
    ObjectNode choice = (ObjectNode) root.get("choices").get(0);
    if (chat) {
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", text);
    } else {
      choice.put("text", text);
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", "content_filter");
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", 0);
    usage.put("completion_tokens", 0);
    usage.put("total_tokens", 0);
    return write(root);
  }

  /** SSE body: the text in one chunk, a chunk with the finish reason, {@code [DONE]}. */
  public static byte[] stream(
      RequestKind kind, String id, String model, long created, String text) {
    boolean chat = kind == RequestKind.CHAT_COMPLETIONS;
    StringBuilder sse = new StringBuilder();
    sse.append("data: ").append(chunk(chat, id, model, created, text, null)).append("\n\n");
    sse.append("data: ")
        .append(chunk(chat, id, model, created, null, "content_filter"))
        .append("\n\n");
    sse.append("data: [DONE]\n\n");
    return sse.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String chunk(
      boolean chat, String id, String model, long created, String text, String finish) {
    ObjectNode root =
        envelope(id, chat ? "chat.completion.chunk" : "text_completion", model, created);
    ObjectNode choice = (ObjectNode) root.get("choices").get(0);
    if (chat) {
      ObjectNode delta = choice.putObject("delta");
      if (text != null) {
        delta.put("role", "assistant");
        delta.put("content", text);
      }
    } else {
      choice.put("text", text == null ? "" : text);
    }
    choice.putNull("logprobs");
    if (finish == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finish);
    }
    return new String(write(root), StandardCharsets.UTF_8);
  }

  /** {@code id, object, created, model} and one choice with {@code index: 0}. */
  private static ObjectNode envelope(String id, String object, String model, long created) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("id", id);
    root.put("object", object);
    root.put("created", created);
    root.put("model", model);
    root.putArray("choices").addObject().put("index", 0);
    return root;
  }

  private static byte[] write(ObjectNode root) {
    try {
      return Json.MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

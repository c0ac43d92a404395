package io.semroute.extproc.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.openai.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A cached answer in the client's format: a {@code chat.completion} (or {@code text_completion})
 * JSON body, or for a streaming request a well-formed SSE stream — role chunk, content chunks,
 * final chunk with {@code finish_reason} (a thinking model's {@code reasoning_content} is replayed
 * too, before the content), a usage chunk when {@code stream_options.include_usage} asked for one,
 * {@code data: [DONE]}. Usage is all zeros: no model ran.
 */
public final class AnswerRenderer {
  /** Content chunks of a replayed stream are at most this many characters. */
  static final int CHUNK_CHARS = 64;

  private AnswerRenderer() {}

  public static String contentType(boolean stream) {
    return stream ? "text/event-stream" : "application/json";
  }

  public static byte[] render(CachedAnswer a, boolean stream, boolean includeUsage) {
    String id = (a.chat() ? "chatcmpl-cache-" : "cmpl-cache-") + UUID.randomUUID();
    long created = System.currentTimeMillis() / 1000;
    return stream ? sse(a, id, created, includeUsage) : json(a, id, created);
  }

  private static byte[] json(CachedAnswer a, String id, long created) {
    ObjectNode root = head(a, id, created, a.chat() ? "chat.completion" : "text_completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    if (a.chat()) {
      ObjectNode message = choice.putObject("message");
      message.put("role", "assistant");
      message.put("content", a.content());
      if (a.reasoning() != null) {
        message.put("reasoning_content", a.reasoning());
      }
    } else {
      choice.put("text", a.content());
    }
    choice.put("finish_reason", a.finishReason());
    zeroUsage(root);
    return bytes(root);
  }

  private static byte[] sse(CachedAnswer a, String id, long created, boolean includeUsage) {
    String object = a.chat() ? "chat.completion.chunk" : "text_completion";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (a.chat()) {
      ObjectNode role = head(a, id, created, object);
      ObjectNode c = role.putArray("choices").addObject();
      c.put("index", 0);
      c.putObject("delta").put("role", "assistant").put("content", "");
      c.putNull("finish_reason");
      event(out, role);
    }
    if (a.chat() && a.reasoning() != null) {
      for (String piece : pieces(a.reasoning())) {
        delta(out, a, id, created, object, "reasoning_content", piece);
      }
    }
    for (String piece : pieces(a.content())) {
      delta(out, a, id, created, object, a.chat() ? "content" : null, piece);
    }
    ObjectNode last = head(a, id, created, object);
    ObjectNode c = last.putArray("choices").addObject();
    c.put("index", 0);
    if (a.chat()) {
      c.putObject("delta");
    } else {
      c.put("text", "");
    }
    c.put("finish_reason", a.finishReason());
    event(out, last);
    if (includeUsage) {
      ObjectNode usage = head(a, id, created, object);
      usage.putArray("choices");
      zeroUsage(usage);
      event(out, usage);
    }
    out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** One chunk with a piece of text: {@code delta.<field>} for chat, {@code text} otherwise. */
  private static void delta(
      ByteArrayOutputStream out,
      CachedAnswer a,
      String id,
      long created,
      String object,
      String field,
      String piece) {
    ObjectNode chunk = head(a, id, created, object);
    ObjectNode c = chunk.putArray("choices").addObject();
    c.put("index", 0);
    if (field != null) {
      c.putObject("delta").put(field, piece);
    } else {
      c.put("text", piece);
    }
    c.putNull("finish_reason");
    event(out, chunk);
  }

  /** The content cut into pieces of at most {@link #CHUNK_CHARS}, after a space where possible. */
  static List<String> pieces(String content) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < content.length()) {
      int end = Math.min(content.length(), start + CHUNK_CHARS);
      if (end < content.length()) {
        int space = content.lastIndexOf(' ', end - 1);
        if (space > start) {
          end = space + 1;
        } else if (Character.isHighSurrogate(content.charAt(end - 1))) {
          end--;
        }
      }
      out.add(content.substring(start, end));
      start = end;
    }
    return out;
  }

  private static ObjectNode head(CachedAnswer a, String id, long created, String object) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("id", id);
    n.put("object", object);
    n.put("created", created);
    n.put("model", a.model());
    return n;
  }

  private static void zeroUsage(ObjectNode root) {
    root.putObject("usage")
        .put("prompt_tokens", 0)
        .put("completion_tokens", 0)
        .put("total_tokens", 0);
  }

  private static void event(ByteArrayOutputStream out, ObjectNode data) {
    out.writeBytes("data: ".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bytes(data));
    out.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(ObjectNode n) {
    try {
      return Json.MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

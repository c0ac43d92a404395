package io.semroute.extproc.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.openai.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A completed answer as the cache keeps it, whatever format it arrived in (JSON or SSE): enough to
 * answer again in either format.
 *
 * @param chat a chat completion (else a text completion)
 * @param model the model that answered
 * @param content the whole generated text
 * @param finishReason why generation stopped ({@code stop}, {@code length}, ...)
 * @param completionTokens what generating it cost (for the record; a hit reports 0)
 * @param reasoning the reasoning text of a thinking model ({@code reasoning_content}), or null
 */
public record CachedAnswer(
    boolean chat,
    String model,
    String content,
    String finishReason,
    long completionTokens,
    String reasoning) {

  /** An answer without reasoning text. */
  public CachedAnswer(
      boolean chat, String model, String content, String finishReason, long completionTokens) {
    this(chat, model, content, finishReason, completionTokens, null);
  }

  public byte[] toJson() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("chat", chat);
    n.put("model", model);
    n.put("content", content);
    n.put("finish_reason", finishReason);
    n.put("completion_tokens", completionTokens);
    if (reasoning != null) {
      n.put("reasoning", reasoning);
    }
    try {
      return Json.MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @return null when the bytes are not an entry written by {@link #toJson()}
   */
  public static CachedAnswer fromJson(byte[] bytes) {
    try {
      JsonNode n = Json.MAPPER.readTree(bytes);
      if (n == null || !n.path("content").isTextual() || !n.path("finish_reason").isTextual()) {
        return null;
      }
      return new CachedAnswer(
          n.path("chat").asBoolean(true),
          n.path("model").asText(""),
          n.get("content").asText(),
          n.get("finish_reason").asText(),
          n.path("completion_tokens").asLong(0),
          n.path("reasoning").isTextual() ? n.get("reasoning").asText() : null);
    } catch (IOException e) {
      return null;
    }
  }
}

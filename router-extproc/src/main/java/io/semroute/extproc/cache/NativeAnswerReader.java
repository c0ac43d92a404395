package io.semroute.extproc.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.openai.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Rebuilds a backend's own Messages {@code message} or Responses {@code response} (JSON, 200) as a
 * {@link CachedAnswer}, as it passes: the text, the reasoning text, why it stopped. Answers the
 * cache must not keep give null: tool calls, refusals, an incomplete or failed response, a body
 * that is not the API's object. Streamed native answers are not read (their events would need their
 * own assembler); one per answer, not thread-safe.
 */
public final class NativeAnswerReader {
  private static final int MAX_BODY = 8 * 1024 * 1024;

  private final ClientApi api;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private boolean tooLong;

  /**
   * @param api {@link ClientApi#MESSAGES} or {@link ClientApi#RESPONSES}
   */
  public NativeAnswerReader(ClientApi api) {
    this.api = api;
  }

  public void accept(byte[] chunk) {
    if (body.size() + chunk.length > MAX_BODY) {
      tooLong = true;
      return;
    }
    body.write(chunk, 0, chunk.length);
  }

  /** The answer to keep, or null. */
  public CachedAnswer result() {
    if (tooLong) {
      return null;
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body.toByteArray());
    } catch (IOException e) {
      return null;
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    return api == ClientApi.MESSAGES ? message(root) : response(root);
  }

  private static CachedAnswer message(JsonNode m) {
    if (!"message".equals(m.path("type").asText())) {
      return null;
    }
    String finish =
        switch (m.path("stop_reason").asText()) {
          case "end_turn", "stop_sequence" -> "stop";
          case "max_tokens" -> "length";
          default -> null; // tool_use, refusal, pause_turn: not a plain answer
        };
    if (finish == null) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    StringBuilder thinking = new StringBuilder();
    for (JsonNode block : m.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "thinking" -> thinking.append(block.path("thinking").asText());
        default -> {
          return null;
        }
      }
    }
    return new CachedAnswer(
        true,
        m.path("model").asText(),
        text.toString(),
        finish,
        m.path("usage").path("output_tokens").asLong(0),
        thinking.isEmpty() ? null : thinking.toString());
  }

  private static CachedAnswer response(JsonNode r) {
    if (!"response".equals(r.path("object").asText())
        || !"completed".equals(r.path("status").asText())) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    for (JsonNode item : r.path("output")) {
      switch (item.path("type").asText()) {
        case "message" -> {
          for (JsonNode part : item.path("content")) {
            if (!"output_text".equals(part.path("type").asText())) {
              return null; // a refusal
            }
            text.append(part.path("text").asText());
          }
        }
        case "reasoning" -> {
          for (JsonNode part : item.path("content")) {
            reasoning.append(part.path("text").asText());
          }
        }
        default -> {
          return null; // function and tool calls
        }
      }
    }
    return new CachedAnswer(
        true,
        r.path("model").asText(),
        text.toString(),
        "stop",
        r.path("usage").path("output_tokens").asLong(0),
        reasoning.isEmpty() ? null : reasoning.toString());
  }
}

package io.semroute.extproc.clientapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.SseLines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the ids of the tool calls an answer makes, in any of the three APIs, JSON or SSE fed in
 * chunks cut anywhere, so the router can send the request that hands their results back to the
 * model that made them: Chat Completions {@code tool_calls[].id}, Messages {@code tool_use} block
 * ids, Responses {@code function_call} items' {@code call_id}. Not thread-safe: one per answer, fed
 * in order.
 */
public final class ToolCallIdReader {
  private static final int MAX_JSON_BODY = 8 * 1024 * 1024;

  private final ClientApi api;
  private final boolean sse;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final SseLines lines = new SseLines(this::line);
  private final Set<String> ids = new LinkedHashSet<>();

  /**
   * @param api the API the answer is in (after translation, if any)
   */
  public ToolCallIdReader(ClientApi api, boolean sse) {
    this.api = api;
    this.sse = sse;
  }

  public void accept(byte[] chunk, boolean endOfStream) {
    if (sse) {
      lines.accept(chunk, endOfStream);
      return;
    }
    if (pending.size() + chunk.length <= MAX_JSON_BODY) {
      pending.write(chunk, 0, chunk.length);
    }
    if (endOfStream) {
      JsonNode root = read(pending.toByteArray());
      pending.reset();
      if (root != null) {
        whole(root);
      }
    }
  }

  private void whole(JsonNode root) {
    switch (api) {
      case CHAT_COMPLETIONS -> {
        for (JsonNode choice : root.path("choices")) {
          for (JsonNode call : choice.path("message").path("tool_calls")) {
            add(call.get("id"));
          }
        }
      }
      case MESSAGES -> {
        for (JsonNode block : root.path("content")) {
          toolUse(block);
        }
      }
      case RESPONSES -> {
        for (JsonNode item : root.path("output")) {
          functionCall(item);
        }
      }
    }
  }

  private void line(String line) {
    String data = SseLines.data(line);
    if (data == null || data.isEmpty() || data.equals("[DONE]")) {
      return;
    }
    JsonNode event = read(data.getBytes(StandardCharsets.UTF_8));
    if (event == null) {
      return;
    }
    switch (api) {
      case CHAT_COMPLETIONS -> {
        for (JsonNode choice : event.path("choices")) {
          for (JsonNode call : choice.path("delta").path("tool_calls")) {
            add(call.get("id"));
          }
        }
      }
      case MESSAGES -> {
        if ("content_block_start".equals(event.path("type").asText())) {
          toolUse(event.path("content_block"));
        }
      }
      case RESPONSES -> {
        if ("response.output_item.added".equals(event.path("type").asText())) {
          functionCall(event.path("item"));
        }
      }
    }
  }

  private void toolUse(JsonNode block) {
    if ("tool_use".equals(block.path("type").asText())) {
      add(block.get("id"));
    }
  }

  private void functionCall(JsonNode item) {
    if ("function_call".equals(item.path("type").asText())) {
      add(item.get("call_id"));
    }
  }

  private void add(JsonNode id) {
    if (id != null && id.isTextual() && !id.asText().isEmpty()) {
      ids.add(id.asText());
    }
  }

  private static JsonNode read(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null; // not JSON: no tool calls to remember
    }
  }

  /** The ids seen so far, in order. */
  public List<String> ids() {
    return new ArrayList<>(ids);
  }
}

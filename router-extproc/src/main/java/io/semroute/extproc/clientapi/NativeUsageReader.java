package io.semroute.extproc.clientapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.SseLines;
import io.semroute.extproc.openai.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Finds the token counts in a Messages or Responses answer that a backend serves natively (no
 * translation), as it passes, for the same metrics and cost as Chat Completions: a whole JSON body,
 * or SSE chunks cut anywhere. Messages: {@code usage} of the message, or {@code message_start}'s
 * input tokens and {@code message_delta}'s output tokens; cache reads count as prompt tokens, as
 * Chat Completions counts them. Responses: the {@code usage} of the response, or of the final
 * {@code response.completed} (or {@code .incomplete}, {@code .failed}) event. Not thread-safe: one
 * per stream, fed in order.
 */
public final class NativeUsageReader {
  /** Bodies above this are not parsed for usage; they are still forwarded untouched. */
  private static final int MAX_JSON_BODY = 8 * 1024 * 1024;

  private final ClientApi api;
  private final boolean sse;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final SseLines lines = new SseLines(this::line);
  private long input;
  private long output;
  private boolean seen;
  private boolean ended;

  /**
   * @param api {@link ClientApi#MESSAGES} or {@link ClientApi#RESPONSES}
   */
  public NativeUsageReader(ClientApi api, boolean sse) {
    if (api == ClientApi.CHAT_COMPLETIONS) {
      throw new IllegalArgumentException("Chat Completions usage is read by UsageReader");
    }
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

  private void line(String line) {
    String data = SseLines.data(line);
    if (data == null || data.isEmpty()) {
      return;
    }
    JsonNode event = read(data.getBytes(StandardCharsets.UTF_8));
    if (event == null) {
      return;
    }
    String type = event.path("type").asText();
    if (api == ClientApi.MESSAGES) {
      if (type.equals("message_stop")) {
        ended = true;
      } else if (type.equals("message_start")) {
        messagesUsage(event.path("message").path("usage"));
      } else if (type.equals("message_delta")) {
        messagesUsage(event.path("usage"));
      }
    } else if (type.equals("response.completed")
        || type.equals("response.incomplete")
        || type.equals("response.failed")) {
      ended = true;
      whole(event.path("response"));
    }
  }

  private void whole(JsonNode root) {
    if (api == ClientApi.MESSAGES) {
      messagesUsage(root.path("usage"));
      return;
    }
    JsonNode usage = root.path("usage");
    if (usage.isObject()) {
      seen = true;
      input = usage.path("input_tokens").asLong(0);
      output = usage.path("output_tokens").asLong(0);
    }
  }

  /** A Messages usage object; {@code message_delta}'s may carry only the output tokens. */
  private void messagesUsage(JsonNode usage) {
    if (!usage.isObject()) {
      return;
    }
    seen = true;
    if (usage.has("input_tokens")) {
      input =
          usage.path("input_tokens").asLong(0)
              + usage.path("cache_read_input_tokens").asLong(0)
              + usage.path("cache_creation_input_tokens").asLong(0);
    }
    if (usage.has("output_tokens")) {
      output = usage.path("output_tokens").asLong(0);
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
      // Not JSON (an error page, a truncated body): there is simply no usage to record.
      return null;
    }
  }

  /**
   * @return the counts seen, as Chat Completions names them, or null when none were
   */
  public Usage usage() {
    return seen ? new Usage(input, output, input + output) : null;
  }

  /**
   * Whether the body came whole as far as the reader can tell: an SSE body that reached its last
   * event ({@code message_stop}; {@code response.completed}, {@code .incomplete} or {@code
   * .failed}); any JSON body.
   */
  public boolean complete() {
    return !sse || ended;
  }
}

package io.semroute.extproc.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Finds {@code usage} in a response body as it passes: a whole JSON body, or SSE chunks whose
 * boundaries may cut lines (and UTF-8 sequences) anywhere. Only complete lines are parsed; the last
 * usage seen wins (vLLM sends it in the final chunk when {@code include_usage} is set). It also
 * notes whether an SSE body reached {@code data: [DONE]}: one that ends without it was cut short.
 * Not thread-safe: one per stream, fed in order.
 */
public final class UsageReader {
  /** Bodies above this are not parsed for usage; they are still forwarded untouched. */
  private static final int MAX_JSON_BODY = 8 * 1024 * 1024;

  private final boolean sse;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final SseLines lines = new SseLines(this::line);
  private Usage usage;
  private boolean done;

  public UsageReader(boolean sse) {
    this.sse = sse;
  }

  public void accept(byte[] chunk, boolean endOfStream) {
    if (sse) {
      acceptSse(chunk, endOfStream);
    } else {
      if (pending.size() + chunk.length <= MAX_JSON_BODY) {
        pending.write(chunk, 0, chunk.length);
      }
      if (endOfStream) {
        readJson(pending.toByteArray());
        pending.reset();
      }
    }
  }

  private void acceptSse(byte[] chunk, boolean endOfStream) {
    lines.accept(chunk, endOfStream);
  }

  private void line(String line) {
    String data = SseLines.data(line);
    if ("[DONE]".equals(data)) {
      done = true;
      return;
    }
    if (data == null || data.isEmpty()) {
      return;
    }
    readJson(data.getBytes(StandardCharsets.UTF_8));
  }

  private void readJson(byte[] bytes) {
    if (bytes.length == 0) {
      return;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      Usage u = node == null ? null : Usage.from(node.get("usage"));
      if (u != null) {
        usage = u;
      }
    } catch (IOException e) {
      // Not JSON (an error page, a truncated body): there is simply no usage to record.
    }
  }

  /**
   * @return the last usage seen, or null
   */
  public Usage usage() {
    return usage;
  }

  /**
   * Whether the body came whole as far as the reader can tell: an SSE body that reached {@code
   * data: [DONE]}; any JSON body (its completeness is the transport's to tell).
   */
  public boolean complete() {
    return !sse || done;
  }
}

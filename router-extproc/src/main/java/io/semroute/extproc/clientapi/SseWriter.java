package io.semroute.extproc.clientapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects named SSE events ({@code event: NAME}, {@code data: JSON}, blank line), the framing both
 * the Messages and the Responses API stream in. {@link #drain()} hands over what was written since
 * the last call.
 */
public final class SseWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public void event(String name, JsonNode data) {
    write("event: " + name + "\ndata: " + JsonText.of(data) + "\n\n");
  }

  private void write(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
  }

  public byte[] drain() {
    byte[] bytes = out.toByteArray();
    out.reset();
    return bytes;
  }
}

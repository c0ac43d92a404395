package io.semroute.extproc.openai;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits an SSE body arriving in chunks cut anywhere (mid-line, mid-UTF-8 sequence) into whole
 * lines, decoded and stripped. One per stream, fed in order; not thread-safe.
 */
public final class SseLines {
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final Consumer<String> line;

  public SseLines(Consumer<String> line) {
    this.line = line;
  }

  /** Hands every line completed by {@code chunk} to the consumer; the rest too at the end. */
  public void accept(byte[] chunk, boolean endOfStream) {
    int start = 0;
    for (int i = 0; i < chunk.length; i++) {
      if (chunk[i] == '\n') {
        pending.write(chunk, start, i - start);
        emit();
        start = i + 1;
      }
    }
    pending.write(chunk, start, chunk.length - start);
    if (endOfStream && pending.size() > 0) {
      emit();
    }
  }

  private void emit() {
    String text = new String(pending.toByteArray(), StandardCharsets.UTF_8).strip();
    pending.reset();
    line.accept(text);
  }

  /** The payload of a {@code data:} line, or null for any other line. */
  public static String data(String line) {
    return line.startsWith("data:") ? line.substring(5).strip() : null;
  }
}

package io.semroute.extproc.clientapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.openai.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The recorded answers and requests under {@code src/test/resources/clientapi}, and ways to feed an
 * SSE body to a {@link StreamTranslator} as Envoy's STREAMED mode would, in chunks cut anywhere.
 */
public final class Fixtures {
  private Fixtures() {}

  public static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/clientapi/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource clientapi/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  public static ObjectNode json(String name) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(bytes(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Feeds {@code body} in chunks of {@code size} bytes, the last with end of stream. */
  public static byte[] feed(StreamTranslator translator, byte[] body, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int start = 0; start < body.length; start += size) {
      int end = Math.min(body.length, start + size);
      byte[] piece = translator.accept(Arrays.copyOfRange(body, start, end), end == body.length);
      out.write(piece, 0, piece.length);
    }
    return out.toByteArray();
  }

  /** Feeds {@code body} cut in two at {@code at}. */
  public static byte[] feedSplit(StreamTranslator translator, byte[] body, int at) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] first = translator.accept(Arrays.copyOfRange(body, 0, at), false);
    out.write(first, 0, first.length);
    byte[] rest = translator.accept(Arrays.copyOfRange(body, at, body.length), true);
    out.write(rest, 0, rest.length);
    return out.toByteArray();
  }

  /** A named SSE event: its {@code event:} name and {@code data:} payload. */
  public record Event(String name, String data) {}

  /** Splits an SSE body of named events into its events. */
  public static List<Event> events(byte[] sse) {
    List<Event> events = new ArrayList<>();
    for (String block : new String(sse, StandardCharsets.UTF_8).split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String name = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring("event: ".length());
        } else if (line.startsWith("data: ")) {
          data = line.substring("data: ".length());
        }
      }
      events.add(new Event(name, data));
    }
    return events;
  }
}

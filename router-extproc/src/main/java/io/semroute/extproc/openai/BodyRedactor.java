package io.semroute.extproc.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Replaces spans of JSON string values in a request body with typed placeholders ({@code
 * [EMAIL_ADDRESS]}) and keeps every other byte as the client sent it: key order, whitespace, number
 * formats and the escapes inside the same string ({@code \u00e9}, {@code \n}, {@code \"}) all
 * survive.
 *
 * <p>Span offsets are UTF-16 indexes into the <em>decoded</em> string (what the detectors read);
 * the raw literal may be longer (escapes, multi-byte UTF-8), so each literal is walked once to map
 * decoded indexes to byte offsets, and the bytes from the span's first to its last character are
 * replaced. The placeholder needs no escaping.
 */
public final class BodyRedactor {
  /** One span to replace: {@code [start, end)} in the decoded string, by {@code [type]}. */
  public record Span(int start, int end, String type) {}

  /**
   * The string at a JSON pointer, as the parser decoded it, and its spans.
   *
   * @param text the decoded value the spans' offsets refer to; a literal at the same pointer that
   *     decodes differently (a duplicate key) is left alone
   */
  public record Target(String text, List<Span> spans) {}

  private BodyRedactor() {}

  /**
   * @param targets by JSON pointer ({@code /messages/0/content})
   * @return the body with every span replaced; the input unchanged when nothing matched
   */
  public static byte[] redact(byte[] json, Map<String, Target> targets) {
    List<long[]> edits = new ArrayList<>(); // rawStart, rawEnd (exclusive), index into types
    List<String> placeholders = new ArrayList<>();
    try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t != JsonToken.VALUE_STRING) {
          continue;
        }
        Target target = targets.get(p.getParsingContext().pathAsPointer().toString());
        if (target == null || target.spans().isEmpty() || !p.getText().equals(target.text())) {
          continue;
        }
        int quote = openingQuote(json, (int) p.currentTokenLocation().getByteOffset());
        int[] rawStart = charOffsets(json, quote + 1, target.text().length());
        List<Span> spans = new ArrayList<>(target.spans());
        spans.sort(Comparator.comparingInt(Span::start));
        int lastEnd = -1;
        for (Span s : spans) {
          if (s.start() < lastEnd
              || s.start() < 0
              || s.end() > target.text().length()
              || s.end() <= s.start()) {
            continue; // overlapping or outside the text: keep the first
          }
          edits.add(new long[] {rawStart[s.start()], rawStart[s.end()], placeholders.size()});
          placeholders.add("[" + s.type() + "]");
          lastEnd = s.end();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("a body that parsed once no longer parses", e);
    }
    if (edits.isEmpty()) {
      return json;
    }
    edits.sort(Comparator.comparingLong(e -> e[0]));
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
    int pos = 0;
    for (long[] e : edits) {
      out.write(json, pos, (int) e[0] - pos);
      out.writeBytes(placeholders.get((int) e[2]).getBytes(StandardCharsets.UTF_8));
      pos = (int) e[1];
    }
    out.write(json, pos, json.length - pos);
    return out.toByteArray();
  }

  /**
   * The token location is the literal's opening quote; tolerate a parser reporting just before it.
   */
  private static int openingQuote(byte[] json, int from) {
    int i = Math.max(0, from);
    while (i < json.length && json[i] != '"') {
      i++;
    }
    if (i >= json.length) {
      throw new IllegalStateException("no string literal at byte " + from);
    }
    return i;
  }

  /**
   * Byte offset of each decoded UTF-16 char of the literal starting at {@code start} (just after
   * its opening quote), plus one entry for the closing quote. The low half of a surrogate pair
   * written as raw UTF-8 shares its high half's offset.
   */
  static int[] charOffsets(byte[] json, int start, int decodedLength) {
    int[] offsets = new int[decodedLength + 1];
    int k = 0;
    int i = start;
    while (k < decodedLength) {
      int b = json[i] & 0xff;
      offsets[k] = i;
      if (b == '\\') {
        i += json[i + 1] == 'u' ? 6 : 2;
        k++;
      } else if (b < 0x80) {
        i++;
        k++;
      } else if (b >= 0xf0) {
        offsets[k + 1] = i;
        i += 4;
        k += 2;
      } else {
        i += b >= 0xe0 ? 3 : 2;
        k++;
      }
    }
    offsets[decodedLength] = i;
    return offsets;
  }
}

package io.semroute.extproc.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spans are offsets into the decoded text; every other byte of the client's JSON survives. */
class BodyRedactorTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String redact(
      String json, String pointer, String decoded, BodyRedactor.Span... spans) {
    return new String(
        BodyRedactor.redact(
            utf8(json), Map.of(pointer, new BodyRedactor.Target(decoded, List.of(spans)))),
        StandardCharsets.UTF_8);
  }

  @Test
  void replacesTheSpanAndKeepsEveryOtherByte() {
    String json =
        "{ \"model\" : \"x\",\n  \"messages\":[{\"role\":\"user\",  \"content\":\"mail me at a@b.io now\"}],"
            + "\"temperature\":1.50}";
    String text = "mail me at a@b.io now";
    assertThat(
            redact(
                json, "/messages/0/content", text, new BodyRedactor.Span(11, 17, "EMAIL_ADDRESS")))
        .isEqualTo(json.replace("a@b.io", "[EMAIL_ADDRESS]"));
  }

  @Test
  void offsetsAreInTheDecodedTextNotInTheEscapedBytes() {
    // Decoded: Café "Ann" \n then the card. \u00e9, \", \n and \\ are 6, 2, 2, 2 bytes raw.
    String json =
        "{\"prompt\":\"Caf\\u00e9 \\\"Ann\\\"\\n\\\\ card 4111 1111 1111 1111, thanks \\u00e9\"}";
    String decoded = "Café \"Ann\"\n\\ card 4111 1111 1111 1111, thanks é";
    int start = decoded.indexOf("4111");
    String out =
        redact(
            json,
            "/prompt",
            decoded,
            new BodyRedactor.Span(start, start + 19, "CREDIT_CARD"),
            new BodyRedactor.Span(decoded.indexOf("Ann"), decoded.indexOf("Ann") + 3, "PERSON"));
    assertThat(out)
        .isEqualTo(
            "{\"prompt\":\"Caf\\u00e9 \\\"[PERSON]\\\"\\n\\\\ card [CREDIT_CARD], thanks \\u00e9\"}");
  }

  @Test
  void multiByteUtf8AndSurrogatePairsBeforeTheSpan() {
    String decoded = "😀 naïve 日本 Bob Smith here";
    String json = "{\"messages\":[{\"role\":\"tool\",\"content\":\"" + decoded + "\"}]}";
    int s = decoded.indexOf("Bob");
    String out =
        redact(json, "/messages/0/content", decoded, new BodyRedactor.Span(s, s + 9, "PERSON"));
    assertThat(out).isEqualTo(json.replace("Bob Smith", "[PERSON]"));
  }

  @Test
  void contentPartsAndUnrelatedStringsWithTheSameText() {
    String json =
        "{\"messages\":[{\"role\":\"system\",\"content\":\"call 555-0100\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"call 555-0100\"}]}]}";
    String out =
        redact(
            json,
            "/messages/1/content/0/text",
            "call 555-0100",
            new BodyRedactor.Span(5, 13, "PHONE_NUMBER"));
    assertThat(out)
        .isEqualTo(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"call 555-0100\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"call [PHONE_NUMBER]\"}]}]}");
  }

  @Test
  void nothingToRedactGivesTheSameBytes() {
    byte[] json = utf8("{\"prompt\":\"hello\"}");
    assertThat(BodyRedactor.redact(json, Map.of())).isSameAs(json);
    // A literal whose text is not the screened one (e.g. an earlier duplicate key) is left alone.
    assertThat(
            redact("{\"prompt\":\"other\"}", "/prompt", "hello", new BodyRedactor.Span(0, 2, "X")))
        .isEqualTo("{\"prompt\":\"other\"}");
  }
}

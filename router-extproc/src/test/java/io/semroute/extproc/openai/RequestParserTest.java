package io.semroute.extproc.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestParserTest {
  private static ParsedRequest chat(String json) throws BadRequestException {
    return RequestParser.parse(RequestKind.CHAT_COMPLETIONS, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsUserTurnsIncludingContentPartArrays() throws Exception {
    ParsedRequest r =
        chat(
            "{\"model\":\"auto\",\"stream\":true,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"sys\"},"
                + "{\"role\":\"user\",\"content\":\"first\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"look at\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://x/y.png\"}},{\"type\":\"text\",\"text\":\"this\"}]}]}");
    assertThat(r.model()).isEqualTo("auto");
    assertThat(r.stream()).isTrue();
    assertThat(r.userTexts()).containsExactly("first", "look at\nthis");
  }

  @Test
  void completionsReadThePrompt() throws Exception {
    ParsedRequest r =
        RequestParser.parse(
            RequestKind.COMPLETIONS,
            "{\"model\":\"auto\",\"prompt\":[\"a\",\"b\"]}".getBytes(StandardCharsets.UTF_8));
    assertThat(r.userTexts()).containsExactly("a", "b");
    assertThatThrownBy(
            () ->
                RequestParser.parse(
                    RequestKind.COMPLETIONS,
                    "{\"model\":\"auto\",\"prompt\":5}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("prompt");
  }

  @Test
  void rejectsWhatTheRouterCannotRouteWithClearMessages() {
    assertThatThrownBy(() -> chat("{\"model\":\"auto\",")).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> chat("\"text\"")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> chat("{\"messages\":[]}")).hasMessageContaining("model");
    assertThatThrownBy(() -> chat("{\"model\":7,\"messages\":[]}"))
        .hasMessageContaining("non-empty string");
    assertThatThrownBy(() -> chat("{\"model\":\"auto\"}"))
        .hasMessageContaining("'messages' is a required");
    assertThatThrownBy(() -> chat("{\"model\":\"auto\",\"messages\":{}}"))
        .hasMessageContaining("must be an array");
    assertThatThrownBy(() -> chat("{\"model\":\"auto\",\"messages\":[\"hi\"]}"))
        .hasMessageContaining("messages[0]");
    assertThatThrownBy(() -> chat("{\"model\":\"auto\",\"model\":\"x\",\"messages\":[]}"))
        .as("duplicate keys could make the router and vLLM read different models")
        .hasMessageContaining("Duplicate");
  }
}

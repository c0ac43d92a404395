package io.semroute.extproc.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.Fixtures;
import io.semroute.extproc.clientapi.TranslatedRequest;
import io.semroute.extproc.openai.BadRequestException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessagesToChatTest {
  private static TranslatedRequest translate(String json) throws BadRequestException {
    return MessagesToChat.translate(MessagesParser.parse(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aToolLoopBecomesTheRecordedChatRequestByteForByte() throws Exception {
    TranslatedRequest t =
        MessagesToChat.translate(
            MessagesParser.parse(Fixtures.bytes("messages/request-tool-loop.json")));
    assertThat(t.path()).isEqualTo("/v1/chat/completions");
    assertThat(new String(t.bytes(), StandardCharsets.UTF_8))
        .isEqualTo(Fixtures.text("messages/request-tool-loop.chat.json"));
  }

  @Test
  void imagesBecomeImageUrlPartsAndToolResultImagesFollowTheToolMessage() throws Exception {
    ObjectNode body =
        translate(
                "{\"model\":\"m\",\"max_tokens\":5,\"messages\":["
                    + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\","
                    + "\"name\":\"shot\",\"input\":{}}]},"
                    + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\","
                    + "\"content\":[{\"type\":\"text\",\"text\":\"done\"},{\"type\":\"image\",\"source\":"
                    + "{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBO\"}}]}]}]}")
            .body();
    assertThat(body.get("messages").toString())
        .isEqualTo(
            "[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"t1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"shot\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":\"done\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"data:image/png;base64,iVBO\"}}]}]");
  }

  @Test
  void toolChoicesMapToChatsAndANonStreamedRequestAsksForNoUsageChunk() throws Exception {
    String base =
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
            + "\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],";
    assertThat(
            translate(base + "\"tool_choice\":{\"type\":\"any\"}}")
                .body()
                .get("tool_choice")
                .asText())
        .isEqualTo("required");
    assertThat(
            translate(base + "\"tool_choice\":{\"type\":\"none\"}}")
                .body()
                .get("tool_choice")
                .asText())
        .isEqualTo("none");
    ObjectNode named =
        translate(
                base
                    + "\"tool_choice\":{\"type\":\"tool\",\"name\":\"f\",\"disable_parallel_tool_use\":true}}")
            .body();
    assertThat(named.get("tool_choice").toString())
        .isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}");
    assertThat(named.get("parallel_tool_calls").asBoolean()).isFalse();
    assertThat(named.has("stream")).isFalse();
    assertThat(named.has("stream_options")).isFalse();
  }

  @Test
  void whatChatCompletionsCannotCarryIsA400() {
    String user = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":";
    assertThatThrownBy(
            () ->
                translate(
                    user
                        + "\"x\"}],\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessage(
            "tools.0: the server tool 'web_search_20250305' cannot be translated for a backend"
                + " that only serves Chat Completions");
    assertThatThrownBy(
            () ->
                translate(
                    user
                        + "[{\"type\":\"document\",\"source\":{\"type\":\"base64\","
                        + "\"media_type\":\"application/pdf\",\"data\":\"JVBE\"}}]}]}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("messages.0.content.0: a document with a 'base64' source");
    assertThatThrownBy(() -> translate(user + "[{\"type\":\"search_result\",\"source\":\"s\"}]}]}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith(
            "messages.0.content.0: a 'search_result' block cannot be translated");
  }

  @Test
  void mcpServersNeedTheBackendsOwnApi() {
    assertThatThrownBy(
            () ->
                translate(
                    "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
                        + "\"content\":\"x\"}],\"mcp_servers\":[{\"type\":\"url\","
                        + "\"url\":\"https://m\",\"name\":\"m\"}]}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("mcp_servers: MCP servers cannot be translated");
  }
}

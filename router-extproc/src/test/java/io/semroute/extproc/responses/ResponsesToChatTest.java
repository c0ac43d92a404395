package io.semroute.extproc.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.Fixtures;
import io.semroute.extproc.clientapi.TranslatedRequest;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponsesToChatTest {
  private static TranslatedRequest translate(String json) throws BadRequestException {
    return ResponsesToChat.translate(
        ResponsesParser.parse(json.getBytes(StandardCharsets.UTF_8)), null);
  }

  @Test
  void aToolLoopBecomesTheRecordedChatRequestByteForByte() throws Exception {
    TranslatedRequest t =
        ResponsesToChat.translate(
            ResponsesParser.parse(Fixtures.bytes("responses/request-tool-loop.json")), null);
    assertThat(t.path()).isEqualTo("/v1/chat/completions");
    assertThat(new String(t.bytes(), StandardCharsets.UTF_8))
        .isEqualTo(Fixtures.text("responses/request-tool-loop.chat.json"));
  }

  @Test
  void aStringInputWithInstructionsIsASystemAndAUserMessage() throws Exception {
    ObjectNode body =
        ResponsesToChat.translate(
                ResponsesParser.parse(Fixtures.bytes("responses/request-simple.json")), null)
            .body();
    assertThat(body.toString())
        .isEqualTo(
            "{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":"
                + "\"Show the result only.\"},{\"role\":\"user\",\"content\":"
                + "\"Solve 3x + 5 = 20 for x.\"}],\"reasoning_effort\":\"low\"}");
  }

  @Test
  void imagesAndTheNamedToolChoiceMapToChats() throws Exception {
    ObjectNode body =
        translate(
                "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                    + "\"text\":\"what is this\"},{\"type\":\"input_image\",\"image_url\":"
                    + "\"https://x/y.png\",\"detail\":\"low\"}]}],\"tools\":[{\"type\":\"function\","
                    + "\"name\":\"f\",\"parameters\":null}],\"tool_choice\":{\"type\":\"function\","
                    + "\"name\":\"f\"},\"text\":{\"format\":{\"type\":\"json_object\"}}}")
            .body();
    assertThat(body.at("/messages/0/content").toString())
        .isEqualTo(
            "[{\"type\":\"text\",\"text\":\"what is this\"},{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"https://x/y.png\",\"detail\":\"low\"}}]");
    assertThat(body.get("tool_choice").toString())
        .isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"f\"}}");
    assertThat(body.at("/tools/0/function/parameters").toString()).isEqualTo("{}");
    assertThat(body.get("response_format").toString()).isEqualTo("{\"type\":\"json_object\"}");
  }

  @Test
  void whatChatCompletionsCannotCarryIsA400() {
    assertThatThrownBy(
            () ->
                translate(
                    "{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessage(
            "'tools[0]': the built-in tool 'web_search' cannot be translated for a backend that"
                + " only serves Chat Completions.");
    assertThatThrownBy(
            () ->
                translate(
                    "{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("'input[0]': an input item of type 'item_reference'");
    assertThatThrownBy(
            () ->
                translate(
                    "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":"
                        + "\"input_file\",\"file_id\":\"file-1\"}]}]}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("'input[0].content[0]': a 'input_file' part");
  }

  @Test
  void backgroundResponsesAndConversationObjectsNeedTheBackendsOwnApi() {
    assertThatThrownBy(() -> translate("{\"model\":\"m\",\"input\":\"x\",\"background\":true}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("'background': a background response cannot be translated");
    assertThatThrownBy(
            () -> translate("{\"model\":\"m\",\"input\":\"x\",\"conversation\":\"conv_1\"}"))
        .isInstanceOf(BadRequestException.class)
        .hasMessageStartingWith("'conversation': a conversation object cannot be translated");
  }

  @Test
  void aPreviousResponseTheRouterDoesNotHoldIsA400AndOneItHoldsIsPrepended() throws Exception {
    String follow =
        "{\"model\":\"m\",\"previous_response_id\":\"resp_1\",\"input\":\"and Tokyo?\"}";
    assertThatThrownBy(() -> translate(follow))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("Previous response with id 'resp_1' not found.");
              assertThat(e.param()).isEqualTo("previous_response_id");
            });
    ObjectNode earlierUser =
        Json.MAPPER.createObjectNode().put("role", "user").put("content", "Paris?");
    ObjectNode earlierAnswer =
        Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "18°C");
    ObjectNode body =
        ResponsesToChat.translate(
                ResponsesParser.parse(follow.getBytes(StandardCharsets.UTF_8)),
                List.of(earlierUser, earlierAnswer))
            .body();
    assertThat(body.get("messages").toString())
        .isEqualTo(
            "[{\"role\":\"user\",\"content\":\"Paris?\"},{\"role\":\"assistant\",\"content\":\"18°C\"},"
                + "{\"role\":\"user\",\"content\":\"and Tokyo?\"}]");
  }
}

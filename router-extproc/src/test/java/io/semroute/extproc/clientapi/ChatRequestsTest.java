package io.semroute.extproc.clientapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.extproc.clientapi.ClientRequest.Turn;
import io.semroute.extproc.openai.ParsedRequest.ClientText;
import io.semroute.extproc.openai.RequestKind;
import io.semroute.extproc.openai.RequestParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatRequestsTest {
  @Test
  void aTranslatedToolLoopReadsLikeTheMessagesRequestItCameFrom() throws Exception {
    ClientRequest chat =
        ChatRequests.view(
            RequestParser.parse(
                RequestKind.CHAT_COMPLETIONS,
                Fixtures.bytes("messages/request-tool-loop.chat.json")));
    assertThat(chat.api()).isEqualTo(ClientApi.CHAT_COMPLETIONS);
    assertThat(chat.system()).isEqualTo("You are a coding agent.\nAnswer briefly.");
    assertThat(chat.turns())
        .containsExactly(
            new Turn("user", "What is the weather in Paris and Tokyo?"),
            new Turn("assistant", "Checking both cities."),
            new Turn("user", "Which one is warmer?"));
    assertThat(chat.toolResults())
        .containsExactly(
            new ClientText("/messages/3/content", "18°C, light rain"),
            new ClientText("/messages/4/content", "24°C\nclear sky"));
    // the same answer as the Messages request it came from: the results of the last turn's calls
    assertThat(chat.lastToolResultIds()).containsExactly("toolu_01A", "toolu_01B");
    assertThat(chat.userId()).isEqualTo("user-42");
    assertThat(chat.stream()).isTrue();
  }

  @Test
  void trailingToolMessagesAreTheCallsTheRequestAnswers() throws Exception {
    String body =
        "{\"model\":\"auto\",\"reasoning_effort\":\"low\",\"messages\":["
            + "{\"role\":\"user\",\"content\":\"weather?\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"w\",\"arguments\":\"{}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"sunny\"}]}]}";
    ClientRequest chat =
        ChatRequests.view(
            RequestParser.parse(
                RequestKind.CHAT_COMPLETIONS, body.getBytes(StandardCharsets.UTF_8)));
    assertThat(chat.lastToolResultIds()).containsExactly("call_1");
    assertThat(chat.toolResults())
        .containsExactly(new ClientText("/messages/2/content/0/text", "sunny"));
    assertThat(chat.reasoning()).isEqualTo(new ClientRequest.Reasoning(true, "low", null));
    assertThat(chat.lastUserText()).isEqualTo("weather?");
  }

  @Test
  void legacyCompletionsPromptsAreUserTurns() throws Exception {
    ClientRequest c =
        ChatRequests.view(
            RequestParser.parse(
                RequestKind.COMPLETIONS,
                "{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}".getBytes(StandardCharsets.UTF_8)));
    assertThat(c.userTexts()).containsExactly("a", "b");
    assertThat(c.toolResults()).isEmpty();
  }
}

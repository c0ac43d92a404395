package io.semroute.extproc.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorResponse;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.semroute.extproc.clientapi.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official Anthropic Java SDK reads what the router sends a Messages client: its own model
 * classes parse and validate each body, and its stream accumulator rebuilds the message from the
 * events.
 */
class MessagesSdkTest {
  private static final JsonMapper SDK = ObjectMappers.jsonMapper();

  private static Message message(byte[] json) throws Exception {
    return SDK.readValue(json, Message.class).validate();
  }

  /** Every event through the SDK's parser and its accumulator, as its streaming client does. */
  private static Message accumulate(byte[] sse) throws Exception {
    MessageAccumulator accumulator = MessageAccumulator.create();
    for (Fixtures.Event e : Fixtures.events(sse)) {
      RawMessageStreamEvent event = SDK.readValue(e.data(), RawMessageStreamEvent.class).validate();
      accumulator.accumulate(event);
    }
    return accumulator.message().validate();
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat-reasoning", "chat-tool-calls", "chat-length"})
  void translatedAnswersParse(String name) throws Exception {
    Message m = message(ChatToMessage.translate(Fixtures.bytes("vllm/" + name + ".json")));
    assertThat(m.id()).startsWith("msg_");
    assertThat(m.usage().outputTokens()).isPositive();
  }

  @Test
  void aTranslatedToolCallAnswerReadsAsToolUseBlocks() throws Exception {
    Message m = message(ChatToMessage.translate(Fixtures.bytes("vllm/chat-tool-calls.json")));
    assertThat(m.stopReason()).contains(StopReason.TOOL_USE);
    List<ContentBlock> content = m.content();
    assertThat(content).hasSize(2);
    assertThat(content.get(0).asToolUse().name()).isEqualTo("get_weather");
    assertThat(content.get(0).asToolUse().id()).isEqualTo("chatcmpl-tool-7c1f0e9d8b6a4c2e");
    assertThat(m.usage().cacheReadInputTokens()).contains(256L);
  }

  @Test
  void translatedStreamsAccumulateToTheSameMessageAsTheJsonTranslation() throws Exception {
    Message streamed =
        accumulate(
            new ChatToMessagesStream()
                .accept(Fixtures.bytes("vllm/chat-stream-tool-calls.sse"), true));
    assertThat(streamed.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(streamed.content()).hasSize(3);
    assertThat(streamed.content().get(0).asText().text()).isEqualTo("Checking both cities.");
    assertThat(streamed.content().get(2).asToolUse().id())
        .isEqualTo("chatcmpl-tool-1a2b3c4d5e6f7a8b");
    assertThat(streamed.content().get(2).asToolUse()._input().toString()).contains("Tokyo");
    assertThat(streamed.usage().outputTokens()).isEqualTo(68);

    Message reasoning =
        accumulate(
            new ChatToMessagesStream()
                .accept(Fixtures.bytes("vllm/chat-stream-reasoning.sse"), true));
    assertThat(reasoning.content().get(0).asThinking().thinking())
        .isEqualTo("The question asks for x; isolate it.");
    assertThat(reasoning.content().get(1).asText().text()).isEqualTo("x= 5; check: 3·5 + 5 = 20 ✓");
    assertThat(reasoning.stopReason()).contains(StopReason.END_TURN);
  }

  @Test
  void theRoutersRefusalParsesInJsonAndAsAStream() throws Exception {
    var refusal = MessagesAnswers.refusal("msg_r1", "auto", "I can't help with that.");
    Message json = message(MessagesAnswers.json(refusal));
    assertThat(json.stopReason()).contains(StopReason.REFUSAL);
    assertThat(json.content().get(0).asText().text()).isEqualTo("I can't help with that.");
    Message streamed = accumulate(MessagesAnswers.stream(refusal));
    assertThat(streamed.stopReason()).contains(StopReason.REFUSAL);
    assertThat(streamed.content().get(0).asText().text()).isEqualTo("I can't help with that.");
  }

  @Test
  void aReplayedCacheHitParsesInJsonAndAsAStream() throws Exception {
    var replay =
        MessagesAnswers.replay(Fixtures.json("messages/chat-reasoning.message.json"), "msg_c1");
    assertThat(message(MessagesAnswers.json(replay)).id()).isEqualTo("msg_c1");
    Message streamed = accumulate(MessagesAnswers.stream(replay));
    assertThat(streamed.content().get(0).asThinking().thinking()).startsWith("Subtract 5");
    assertThat(streamed.content().get(1).asText().text()).isEqualTo("x = 5, since 3 × 5 + 5 = 20.");
  }

  @Test
  void errorBodiesParseAsTheSdksErrorResponse() throws Exception {
    ErrorResponse e =
        SDK.readValue(MessagesErrors.json(400, "max_tokens: Field required"), ErrorResponse.class)
            .validate();
    assertThat(e.error().isInvalidRequestError()).isTrue();
    ErrorResponse overloaded =
        SDK.readValue(MessagesErrors.json(529, "busy"), ErrorResponse.class).validate();
    assertThat(overloaded.error().isOverloadedError()).isTrue();
    String data = Fixtures.events(MessagesErrors.sse(429, "slow down")).get(0).data();
    assertThat(SDK.readValue(data, ErrorResponse.class).validate().error().isRateLimitError())
        .isTrue();
    assertThat(new String(MessagesErrors.json(404, "x"), StandardCharsets.UTF_8))
        .contains("not_found_error");
  }
}

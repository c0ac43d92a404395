package io.semroute.extproc.clientapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.semroute.extproc.openai.Usage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link NativeUsageReader} and {@link ToolCallIdReader} on the recorded answers in every API,
 * whole and fed a few bytes at a time.
 */
class AnswerReadersTest {
  private static Usage usage(ClientApi api, boolean sse, byte[] body, int size) {
    NativeUsageReader reader = new NativeUsageReader(api, sse);
    feed(body, size, reader::accept);
    return reader.usage();
  }

  private static List<String> ids(ClientApi api, boolean sse, byte[] body, int size) {
    ToolCallIdReader reader = new ToolCallIdReader(api, sse);
    feed(body, size, reader::accept);
    return reader.ids();
  }

  private interface Sink {
    void accept(byte[] chunk, boolean end);
  }

  private static void feed(byte[] body, int size, Sink sink) {
    for (int start = 0; start < body.length; start += size) {
      int end = Math.min(body.length, start + size);
      sink.accept(Arrays.copyOfRange(body, start, end), end == body.length);
    }
  }

  @Test
  void messagesUsageCountsCacheReadsAsPromptTokensAsChatCompletionsDoes() {
    byte[] json = Fixtures.bytes("messages/chat-tool-calls.message.json");
    assertThat(usage(ClientApi.MESSAGES, false, json, 7)).isEqualTo(new Usage(312, 59, 371));
    byte[] sse = Fixtures.bytes("messages/chat-stream-tool-calls.messages.sse");
    for (int size : new int[] {1, 9, 100_000}) {
      assertThat(usage(ClientApi.MESSAGES, true, sse, size)).isEqualTo(new Usage(312, 68, 380));
    }
  }

  @Test
  void responsesUsageComesFromTheResponseOrItsFinalEvent() {
    byte[] json = Fixtures.bytes("responses/chat-length.response.json");
    assertThat(usage(ClientApi.RESPONSES, false, json, 5)).isEqualTo(new Usage(18, 16, 34));
    byte[] sse = Fixtures.bytes("responses/chat-stream-reasoning.responses.sse");
    for (int size : new int[] {1, 9, 100_000}) {
      assertThat(usage(ClientApi.RESPONSES, true, sse, size)).isEqualTo(new Usage(23, 31, 54));
    }
  }

  @Test
  void aNativeSseBodyIsCompleteOnlyWithItsLastEvent() {
    for (var api : List.of(ClientApi.MESSAGES, ClientApi.RESPONSES)) {
      byte[] sse =
          Fixtures.bytes(
              api == ClientApi.MESSAGES
                  ? "messages/chat-stream-tool-calls.messages.sse"
                  : "responses/chat-stream-reasoning.responses.sse");
      NativeUsageReader whole = new NativeUsageReader(api, true);
      feed(sse, 9, whole::accept);
      assertThat(whole.complete()).as("%s whole", api).isTrue();
      NativeUsageReader cut = new NativeUsageReader(api, true);
      feed(Arrays.copyOf(sse, sse.length / 2), 9, cut::accept);
      assertThat(cut.complete()).as("%s cut", api).isFalse();
    }
    assertThat(new NativeUsageReader(ClientApi.MESSAGES, false).complete()).isTrue();
  }

  @Test
  void noUsageInAnErrorOrABrokenBody() {
    byte[] error =
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(usage(ClientApi.MESSAGES, false, error, 4)).isNull();
    assertThat(usage(ClientApi.RESPONSES, false, "<html>".getBytes(StandardCharsets.UTF_8), 2))
        .isNull();
    assertThatThrownBy(() -> new NativeUsageReader(ClientApi.CHAT_COMPLETIONS, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toolCallIdsAreFoundInEveryApiJsonAndStream() {
    assertThat(
            ids(ClientApi.CHAT_COMPLETIONS, false, Fixtures.bytes("vllm/chat-tool-calls.json"), 3))
        .containsExactly("chatcmpl-tool-7c1f0e9d8b6a4c2e", "chatcmpl-tool-4a2b9c8d7e6f5a1b");
    assertThat(
            ids(
                ClientApi.MESSAGES,
                false,
                Fixtures.bytes("messages/chat-tool-calls.message.json"),
                3))
        .containsExactly("chatcmpl-tool-7c1f0e9d8b6a4c2e", "chatcmpl-tool-4a2b9c8d7e6f5a1b");
    assertThat(
            ids(
                ClientApi.RESPONSES,
                false,
                Fixtures.bytes("responses/chat-tool-calls.response.json"),
                3))
        .containsExactly("chatcmpl-tool-7c1f0e9d8b6a4c2e", "chatcmpl-tool-4a2b9c8d7e6f5a1b");
    String[] streamed = {"chatcmpl-tool-9d8c7b6a5f4e3d2c", "chatcmpl-tool-1a2b3c4d5e6f7a8b"};
    assertThat(
            ids(
                ClientApi.CHAT_COMPLETIONS,
                true,
                Fixtures.bytes("vllm/chat-stream-tool-calls.sse"),
                11))
        .containsExactly(streamed);
    assertThat(
            ids(
                ClientApi.MESSAGES,
                true,
                Fixtures.bytes("messages/chat-stream-tool-calls.messages.sse"),
                11))
        .containsExactly(streamed);
    assertThat(
            ids(
                ClientApi.RESPONSES,
                true,
                Fixtures.bytes("responses/chat-stream-tool-calls.responses.sse"),
                11))
        .containsExactly(streamed);
    assertThat(
            ids(
                ClientApi.MESSAGES,
                false,
                Fixtures.bytes("messages/chat-reasoning.message.json"),
                50))
        .isEmpty();
  }

  @Test
  void pathsNameTheirApi() {
    assertThat(ClientApi.forPath("/v1/messages")).contains(ClientApi.MESSAGES);
    assertThat(ClientApi.forPath("/v1/responses")).contains(ClientApi.RESPONSES);
    assertThat(ClientApi.forPath("/v1/chat/completions")).contains(ClientApi.CHAT_COMPLETIONS);
    assertThat(ClientApi.forPath("/v1/responses/resp_1")).isEmpty();
    assertThat(ClientApi.MESSAGES.path()).isEqualTo("/v1/messages");
  }
}

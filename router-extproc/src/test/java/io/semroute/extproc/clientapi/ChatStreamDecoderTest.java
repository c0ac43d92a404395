package io.semroute.extproc.clientapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatStreamDecoderTest {
  /** Writes each call down as one line. */
  private static final class Recorder implements ChatStreamHandler {
    final List<String> calls = new ArrayList<>();

    @Override
    public void start(String id, String model, long created) {
      calls.add("start " + id + " " + model + " " + created);
    }

    @Override
    public void reasoning(String delta) {
      calls.add("reasoning " + delta);
    }

    @Override
    public void text(String delta) {
      calls.add("text " + delta);
    }

    @Override
    public void toolCallStart(int index, String id, String name) {
      calls.add("tool " + index + " " + id + " " + name);
    }

    @Override
    public void toolCallArguments(int index, String delta) {
      calls.add("args " + index + " " + delta);
    }

    @Override
    public void finish(String finishReason, String stopSequence) {
      calls.add("finish " + finishReason + " " + stopSequence);
    }

    @Override
    public void usage(ChatUsage usage) {
      calls.add("usage " + usage);
    }

    @Override
    public void end(boolean complete) {
      calls.add("end " + complete);
    }

    @Override
    public void error(String message) {
      calls.add("error " + message);
    }
  }

  private static List<String> decode(String sse, int chunkSize) {
    Recorder recorder = new Recorder();
    ChatStreamDecoder decoder = new ChatStreamDecoder(recorder);
    byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
    for (int start = 0; start < bytes.length; start += chunkSize) {
      int end = Math.min(bytes.length, start + chunkSize);
      byte[] piece = new byte[end - start];
      System.arraycopy(bytes, start, piece, 0, piece.length);
      decoder.accept(piece, end == bytes.length);
    }
    return recorder.calls;
  }

  @Test
  void readsTheRecordedToolCallStreamTheSameWhateverTheChunkSize() {
    String sse = Fixtures.text("vllm/chat-stream-tool-calls.sse");
    List<String> whole = decode(sse, Integer.MAX_VALUE);
    assertThat(whole)
        .containsExactly(
            "start chatcmpl-e3f5a7b9c1d34e5f7a9b1c3d5e7f9a0b llama-3.1-8b-instruct 1765152240",
            "text Checking both cities.",
            "tool 0 chatcmpl-tool-9d8c7b6a5f4e3d2c get_weather",
            "args 0 {\"city\": ",
            "args 0 \"Paris\"",
            "args 0 , \"unit\": \"celsius\"}",
            "tool 1 chatcmpl-tool-1a2b3c4d5e6f7a8b get_weather",
            "args 1 {\"city\": ",
            "args 1 \"Tokyo\"",
            "args 1 , \"unit\": \"celsius\"}",
            "finish tool_calls null",
            "usage ChatUsage[promptTokens=312, completionTokens=68, totalTokens=380,"
                + " cachedTokens=256, reasoningTokens=0]",
            "end true");
    for (int size : new int[] {1, 2, 3, 7, 64}) {
      assertThat(decode(sse, size)).as("chunks of %d bytes", size).isEqualTo(whole);
    }
  }

  @Test
  void readsReasoningFromEitherFieldAndTheStopStringVllmNames() {
    String sse =
        "data: {\"id\":\"c\",\"model\":\"m\",\"created\":1,\"choices\":[{\"index\":0,"
            + "\"delta\":{\"reasoning_content\":\"hm\"}}]}\n\n"
            + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"ok\"}}]}\n\n"
            + "data: {\"id\":\"c\",\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other"
            + " choice\"}}]}\n\n"
            + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\","
            + "\"stop_reason\":\"END\"}]}\n\n"
            + "data: [DONE]\n\n";
    assertThat(decode(sse, 5))
        .containsExactly(
            "start c m 1", "reasoning hm", "reasoning ok", "finish stop END", "end true");
  }

  @Test
  void aStreamCutBeforeItsFinishReasonIsIncomplete() {
    String sse =
        "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"Hel\"}}]}\n\n";
    assertThat(decode(sse, 10)).containsExactly("start c m 0", "text Hel", "end false");
  }

  @Test
  void aStreamWithItsFinishReasonButNoDoneIsComplete() {
    String sse =
        "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\n";
    assertThat(decode(sse, 10))
        .containsExactly("start c m 0", "text Hi", "finish stop null", "end true");
  }

  @Test
  void anErrorEventOrAnUnreadableEventEndsTheStream() {
    String vllmError =
        "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
            + "data: {\"error\":{\"message\":\"engine died\",\"type\":\"InternalServerError\"}}\n\n"
            + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}\n\n";
    assertThat(decode(vllmError, 4)).containsExactly("start c m 0", "text a", "error engine died");
    String flat = "data: {\"object\":\"error\",\"message\":\"too long\",\"code\":400}\n\n";
    assertThat(decode(flat, 100)).containsExactly("error too long");
    assertThat(decode("data: {not json\n\n", 3))
        .containsExactly("error the backend sent an event that is not JSON");
  }
}

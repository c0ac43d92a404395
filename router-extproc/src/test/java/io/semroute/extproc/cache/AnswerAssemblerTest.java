package io.semroute.extproc.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AnswerAssemblerTest {
  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final String SSE =
      "data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
          + "data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo ünïcode\"},\"finish_reason\":null}]}\n\n"
          + "data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
          + "data: {\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}\n\n"
          + "data: [DONE]\n\n";

  @Test
  void aStreamCutAnywhereIsAssembledWhole() {
    byte[] all = b(SSE);
    for (int cut = 1; cut < all.length; cut += 7) {
      AnswerAssembler a = new AnswerAssembler(true, 200, true);
      a.accept(Arrays.copyOfRange(all, 0, cut), false);
      a.accept(Arrays.copyOfRange(all, cut, all.length), false);
      a.accept(new byte[0], true);
      assertThat(a.result())
          .as("cut at " + cut)
          .isEqualTo(new CachedAnswer(true, "m", "Hello ünïcode", "stop", 4));
    }
  }

  @Test
  void aStreamWithoutDoneOrFinishIsNotStored() {
    AnswerAssembler cut = new AnswerAssembler(true, 200, true);
    cut.accept(
        b(
            SSE.substring(
                0, SSE.indexOf("data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},"))),
        true);
    assertThat(cut.result()).isNull();
    assertThat(cut.refusal()).contains("[DONE]");
    AnswerAssembler noEnd = new AnswerAssembler(true, 200, true);
    noEnd.accept(b(SSE), false);
    assertThat(noEnd.result()).isNull();
  }

  @Test
  void errorsToolCallsAndSeveralChoicesAreNotStored() {
    AnswerAssembler status = new AnswerAssembler(true, 500, false);
    status.accept(b("{\"error\":{\"message\":\"x\"}}"), true);
    assertThat(status.result()).isNull();
    AnswerAssembler errorBody = new AnswerAssembler(true, 200, false);
    errorBody.accept(b("{\"error\":{\"message\":\"x\"}}"), true);
    assertThat(errorBody.result()).isNull();
    AnswerAssembler tool = new AnswerAssembler(true, 200, false);
    tool.accept(
        b(
            "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}]}"),
        true);
    assertThat(tool.result()).isNull();
    AnswerAssembler two = new AnswerAssembler(true, 200, true);
    two.accept(
        b(
            SSE.replace(
                "{\"index\":0,\"delta\":{\"content\":\"lo",
                "{\"index\":1,\"delta\":{\"content\":\"lo")),
        true);
    assertThat(two.result()).isNull();
    AnswerAssembler errorEvent = new AnswerAssembler(true, 200, true);
    errorEvent.accept(
        b(
            SSE.replace(
                "data: [DONE]", "data: {\"error\":{\"message\":\"overloaded\"}}\n\ndata: [DONE]")),
        true);
    assertThat(errorEvent.result()).isNull();
  }

  @Test
  void reasoningTextIsKept() {
    AnswerAssembler sse = new AnswerAssembler(true, 200, true);
    sse.accept(
        b(
            SSE.replace(
                "{\"role\":\"assistant\",\"content\":\"Hel\"}",
                "{\"role\":\"assistant\",\"reasoning_content\":\"think\",\"content\":\"Hel\"}")),
        true);
    assertThat(sse.result().reasoning()).isEqualTo("think");
    AnswerAssembler json = new AnswerAssembler(true, 200, false);
    json.accept(
        b(
            "{\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"reasoning_content\":\"hmm\",\"content\":\"4\"},\"finish_reason\":\"stop\"}]}"),
        true);
    assertThat(json.result()).isEqualTo(new CachedAnswer(true, "m", "4", "stop", 0, "hmm"));
    assertThat(CachedAnswer.fromJson(json.result().toJson())).isEqualTo(json.result());
  }

  @Test
  void jsonAnswersOfBothEndpoints() {
    AnswerAssembler chat = new AnswerAssembler(true, 200, false);
    chat.accept(
        b(
            "{\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Paris.\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}"),
        true);
    assertThat(chat.result()).isEqualTo(new CachedAnswer(true, "m", "Paris.", "stop", 2));
    AnswerAssembler text = new AnswerAssembler(false, 200, false);
    text.accept(
        b(
            "{\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\" 4\",\"finish_reason\":\"length\"}]}"),
        true);
    assertThat(text.result()).isEqualTo(new CachedAnswer(false, "m", " 4", "length", 0));
  }
}

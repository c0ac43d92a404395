package io.semroute.extproc.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UsageReaderTest {
  @Test
  void readsUsageFromAJsonBody() {
    UsageReader r = new UsageReader(false);
    byte[] body =
        "{\"id\":\"x\",\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}"
            .getBytes(StandardCharsets.UTF_8);
    r.accept(Arrays.copyOfRange(body, 0, 10), false);
    r.accept(Arrays.copyOfRange(body, 10, body.length), true);
    assertThat(r.usage()).isEqualTo(new Usage(12, 5, 17));
  }

  @Test
  void readsTheLastUsageChunkOfAnSseStreamCutAnywhere() {
    String sse =
        "data: {\"choices\":[{\"delta\":{\"content\":\"h\u00e9\"}}],\"usage\":null}\n\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":9,\"total_tokens\":12}}\n\n"
            + "data: [DONE]\n\n";
    byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut < bytes.length; cut += 7) {
      UsageReader r = new UsageReader(true);
      r.accept(Arrays.copyOfRange(bytes, 0, cut), false);
      r.accept(Arrays.copyOfRange(bytes, cut, bytes.length), false);
      r.accept(new byte[0], true);
      assertThat(r.usage()).as("cut at %d", cut).isEqualTo(new Usage(3, 9, 12));
    }
  }

  @Test
  void noUsageIsNull() {
    UsageReader r = new UsageReader(false);
    r.accept("<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8), true);
    assertThat(r.usage()).isNull();
  }

  @Test
  void anSseBodyIsCompleteOnlyWithItsDoneLine() {
    String head = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n";
    UsageReader cut = new UsageReader(true);
    cut.accept(head.getBytes(StandardCharsets.UTF_8), true);
    assertThat(cut.complete()).isFalse();
    UsageReader whole = new UsageReader(true);
    whole.accept((head + "data: [DO").getBytes(StandardCharsets.UTF_8), false);
    assertThat(whole.complete()).isFalse();
    whole.accept("NE]\n\n".getBytes(StandardCharsets.UTF_8), true);
    assertThat(whole.complete()).isTrue();
    assertThat(new UsageReader(false).complete()).as("JSON: the transport's to tell").isTrue();
  }
}

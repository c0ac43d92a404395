package io.semroute.extproc.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.openai.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerRendererTest {
  static final CachedAnswer LONG =
      new CachedAnswer(
          true,
          "qwen3-8b",
          "A long answer with ünïcode 😀 that is cut into several chunks, because it is longer than "
              + "sixty-four characters, and then some more words to be sure.",
          "stop",
          30);

  /** The data payloads of an SSE body, checking the framing on the way. */
  static List<String> events(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    assertThat(text).endsWith("data: [DONE]\n\n");
    List<String> out = new ArrayList<>();
    for (String event : text.split("\n\n")) {
      assertThat(event).startsWith("data: ");
      out.add(event.substring(6));
    }
    return out;
  }

  @Test
  void jsonIsAChatCompletionWithZeroUsage() throws Exception {
    JsonNode n = Json.MAPPER.readTree(AnswerRenderer.render(LONG, false, false));
    assertThat(n.get("object").asText()).isEqualTo("chat.completion");
    assertThat(n.at("/choices/0/message/content").asText()).isEqualTo(LONG.content());
    assertThat(n.at("/choices/0/message/role").asText()).isEqualTo("assistant");
    assertThat(n.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(n.at("/usage/completion_tokens").asInt(-1)).isZero();
    assertThat(n.get("model").asText()).isEqualTo("qwen3-8b");
  }

  @Test
  void sseIsRoleChunkContentChunksFinalChunkUsageDone() throws Exception {
    List<String> events = events(AnswerRenderer.render(LONG, true, true));
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    JsonNode role = Json.MAPPER.readTree(events.get(0));
    assertThat(role.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    StringBuilder content = new StringBuilder();
    int contentChunks = 0;
    for (String e : events.subList(1, events.size() - 3)) {
      JsonNode n = Json.MAPPER.readTree(e);
      assertThat(n.get("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(n.at("/choices/0/finish_reason").isNull()).isTrue();
      content.append(n.at("/choices/0/delta/content").asText());
      contentChunks++;
    }
    assertThat(contentChunks).isGreaterThan(1);
    assertThat(content.toString()).isEqualTo(LONG.content());
    JsonNode last = Json.MAPPER.readTree(events.get(events.size() - 3));
    assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = Json.MAPPER.readTree(events.get(events.size() - 2));
    assertThat(usage.at("/usage/completion_tokens").asInt(-1)).isZero();
    assertThat(usage.get("choices")).isEmpty();
    // Without include_usage: no usage chunk, as OpenAI.
    assertThat(events(AnswerRenderer.render(LONG, true, false))).hasSize(events.size() - 1);
  }

  @Test
  void reasoningIsReplayedBeforeTheContent() throws Exception {
    CachedAnswer a = new CachedAnswer(true, "qwen3-8b", "4", "stop", 9, "2 + 2 is 4.");
    assertThat(
            Json.MAPPER
                .readTree(AnswerRenderer.render(a, false, false))
                .at("/choices/0/message/reasoning_content")
                .asText())
        .isEqualTo("2 + 2 is 4.");
    List<String> events = events(AnswerRenderer.render(a, true, false));
    assertThat(
            Json.MAPPER.readTree(events.get(1)).at("/choices/0/delta/reasoning_content").asText())
        .isEqualTo("2 + 2 is 4.");
    assertThat(Json.MAPPER.readTree(events.get(2)).at("/choices/0/delta/content").asText())
        .isEqualTo("4");
  }

  @Test
  void piecesNeverSplitASurrogatePair() {
    String emoji = "😀".repeat(100);
    List<String> pieces = AnswerRenderer.pieces(emoji);
    assertThat(String.join("", pieces)).isEqualTo(emoji);
    assertThat(pieces)
        .allSatisfy(p -> assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse());
  }

  @Test
  void completionsReplayAsTextCompletion() throws Exception {
    CachedAnswer a = new CachedAnswer(false, "m", " 4", "length", 1);
    JsonNode n = Json.MAPPER.readTree(AnswerRenderer.render(a, false, false));
    assertThat(n.get("object").asText()).isEqualTo("text_completion");
    assertThat(n.at("/choices/0/text").asText()).isEqualTo(" 4");
    List<String> events = events(AnswerRenderer.render(a, true, false));
    assertThat(Json.MAPPER.readTree(events.get(0)).at("/choices/0/text").asText()).isEqualTo(" 4");
    assertThat(Json.MAPPER.readTree(events.get(1)).at("/choices/0/finish_reason").asText())
        .isEqualTo("length");
  }
}

package io.semroute.extproc.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.extproc.openai.ParsedRequest;
import io.semroute.extproc.openai.RequestKind;
import io.semroute.extproc.openai.RequestParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
  static CacheKey.Keyed key(String json) throws Exception {
    return key(json, false);
  }

  static CacheKey.Keyed key(String json, boolean sampled) throws Exception {
    ParsedRequest r =
        RequestParser.parse(RequestKind.CHAT_COMPLETIONS, json.getBytes(StandardCharsets.UTF_8));
    return CacheKey.of(r, sampled);
  }

  static final String Q =
      "{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
          + "{\"role\":\"user\",\"content\":\"What is the capital of France?\"}],\"max_tokens\":50}";

  @Test
  void keyOrderNumberFormAndDeliveryFieldsDoNotMatter() throws Exception {
    CacheKey a = key(Q).key();
    CacheKey b =
        key("{\"max_tokens\":50.0,\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"user\":\"u1\",\"messages\":[{\"content\":\"Be brief.\",\"role\":\"system\"},"
                + "{\"content\":\"What is the capital of France?\",\"role\":\"user\"}],\"model\":\"auto\"}")
            .key();
    assertThat(b.exact()).isEqualTo(a.exact());
    assertThat(b.context()).isEqualTo(a.context());
    assertThat(a.semanticText()).isEqualTo("What is the capital of France?");
  }

  @Test
  void everythingThatShapesTheAnswerIsInTheKey() throws Exception {
    CacheKey a = key(Q).key();
    for (String changed :
        new String[] {
          Q.replace("\"auto\"", "\"qwen3-8b\""),
          Q.replace("Be brief.", "Be verbose."),
          Q.replace("\"max_tokens\":50", "\"max_tokens\":51"),
          Q.replace("\"max_tokens\":50", "\"max_tokens\":50,\"temperature\":0"),
          Q.replace(
              "\"max_tokens\":50",
              "\"max_tokens\":50,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]"),
          Q.replace(
              "\"max_tokens\":50",
              "\"max_tokens\":50,\"response_format\":{\"type\":\"json_object\"}"),
          Q.replace("\"max_tokens\":50", "\"max_tokens\":50,\"seed\":7")
        }) {
      CacheKey b = key(changed).key();
      assertThat(b.exact()).as(changed).isNotEqualTo(a.exact());
      assertThat(b.context()).as("context of " + changed).isNotEqualTo(a.context());
    }
    // Only the last user message differs: same context, other exact key.
    CacheKey other = key(Q.replace("France", "Germany")).key();
    assertThat(other.exact()).isNotEqualTo(a.exact());
    assertThat(other.context()).isEqualTo(a.context());
    // An earlier turn differs: another context (earlier turns must match exactly).
    String twoTurns =
        Q.replace(
            "{\"role\":\"user\"",
            "{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"hello\"},{\"role\":\"user\"");
    assertThat(key(twoTurns).key().context()).isNotEqualTo(a.context());
  }

  @Test
  void temperaturePolicyAndUncacheableRequests() throws Exception {
    String warm = Q.replace("\"max_tokens\":50", "\"max_tokens\":50,\"temperature\":0.7");
    assertThat(key(warm).skip()).startsWith("temperature > 0");
    assertThat(key(warm, true).key()).isNotNull();
    assertThat(key(Q.replace("\"max_tokens\":50", "\"max_tokens\":50,\"temperature\":0")).key())
        .isNotNull();
    assertThat(key(Q.replace("\"max_tokens\":50", "\"max_tokens\":50,\"n\":2")).skip())
        .isEqualTo("n > 1");
    assertThat(key(Q.replace("\"max_tokens\":50", "\"max_tokens\":50,\"logprobs\":true")).skip())
        .contains("logprobs");
  }

  @Test
  void noSemanticTierWithoutAPlainTextLastUserMessage() throws Exception {
    String image =
        "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}";
    assertThat(key(image).key().context()).isNull();
    String assistantLast =
        "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"assistant\",\"content\":\"Sure,\"}]}";
    assertThat(key(assistantLast).key().context()).isNull();
    assertThat(key(assistantLast).key().exact()).isNotNull();
  }
}

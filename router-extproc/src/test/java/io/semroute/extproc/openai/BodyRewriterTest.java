package io.semroute.extproc.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.config.ReasoningFamily;
import io.semroute.config.SystemPrompt;
import io.semroute.extproc.TestConfigs;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyRewriterTest {
  private static final ReasoningFamily EFFORT =
      new ReasoningFamily("gpt-oss", ReasoningFamily.Type.REASONING_EFFORT, "reasoning_effort");
  private static final ReasoningFamily DEEPSEEK =
      new ReasoningFamily("deepseek", ReasoningFamily.Type.CHAT_TEMPLATE_KWARGS, "thinking");

  private static ParsedRequest parse(String json) throws Exception {
    return RequestParser.parse(RequestKind.CHAT_COMPLETIONS, json.getBytes(StandardCharsets.UTF_8));
  }

  private static BodyRewriter.Target decision(
      String model, String category, boolean reasoning, String effort) {
    return new BodyRewriter.Target(model, category, reasoning, effort);
  }

  @Test
  void rewritesModelAndKeepsEverythingElseExactly() throws Exception {
    ParsedRequest r =
        parse(
            "{\"model\":\"auto\",\"temperature\":0.10,\"top_p\":1e-3,\"n\":1,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"x\":{\"y\":[1,2]}}");
    byte[] out =
        BodyRewriter.rewrite(
            r, decision(TestConfigs.LLAMA, null, false, null), TestConfigs.sample());
    assertThat(new String(out, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"model\":\"llama-3.1-8b-instruct\",\"temperature\":0.10,\"top_p\":0.001,\"n\":1,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"x\":{\"y\":[1,2]}}");
  }

  @Test
  void chatTemplateKwargsAreSetOnAndOffKeepingOtherKwargs() throws Exception {
    ParsedRequest r =
        parse(
            "{\"model\":\"auto\",\"messages\":[],\"chat_template_kwargs\":{\"thinking\":true,\"k\":2}}");
    BodyRewriter.setReasoning(r.body(), DEEPSEEK, decision("m", null, false, null));
    assertThat(r.body().at("/chat_template_kwargs/thinking").asBoolean(true)).isFalse();
    assertThat(r.body().at("/chat_template_kwargs/k").asInt()).isEqualTo(2);
    BodyRewriter.setReasoning(r.body(), DEEPSEEK, decision("m", null, true, "high"));
    assertThat(r.body().at("/chat_template_kwargs/thinking").asBoolean(false)).isTrue();
  }

  @Test
  void reasoningEffortFamiliesGetTheEffortOrLowWhenOff() throws Exception {
    ParsedRequest r = parse("{\"model\":\"auto\",\"messages\":[],\"reasoning_effort\":\"high\"}");
    BodyRewriter.setReasoning(r.body(), EFFORT, decision("m", null, true, "medium"));
    assertThat(r.body().get("reasoning_effort").asText()).isEqualTo("medium");
    BodyRewriter.setReasoning(r.body(), EFFORT, decision("m", null, false, null));
    assertThat(r.body().get("reasoning_effort").asText()).isEqualTo("low");
    assertThat(r.body().has("chat_template_kwargs")).isFalse();
  }

  @Test
  void modelsWithoutAFamilyAreNotTouched() throws Exception {
    ParsedRequest r =
        parse(
            "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"chat_template_kwargs\":{\"enable_thinking\":true}}");
    byte[] out =
        BodyRewriter.rewrite(
            r, decision(TestConfigs.LLAMA, null, true, "high"), TestConfigs.sample());
    JsonNode body = Json.MAPPER.readTree(out);
    assertThat(body.at("/chat_template_kwargs/enable_thinking").asBoolean()).isTrue();
    assertThat(body.has("reasoning_effort")).isFalse();
  }

  @Test
  void insertPutsTheCategoryPromptFirst() throws Exception {
    SystemPrompt insert = new SystemPrompt("Be precise.", SystemPrompt.Mode.INSERT);
    ParsedRequest none =
        parse("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");
    BodyRewriter.applySystemPrompt(none.body(), insert);
    assertThat(none.body().at("/messages/0/role").asText()).isEqualTo("system");
    assertThat(none.body().at("/messages/0/content").asText()).isEqualTo("Be precise.");
    assertThat(none.body().at("/messages/1/content").asText()).isEqualTo("q");

    ParsedRequest own =
        parse(
            "{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":\"Talk like a pirate.\"},"
                + "{\"role\":\"user\",\"content\":\"q\"}]}");
    BodyRewriter.applySystemPrompt(own.body(), insert);
    assertThat(own.body().get("messages")).hasSize(2);
    assertThat(own.body().at("/messages/0/content").asText())
        .isEqualTo("Be precise.\n\nTalk like a pirate.");

    ParsedRequest parts =
        parse(
            "{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"Own.\"}]},{\"role\":\"user\",\"content\":\"q\"}]}");
    BodyRewriter.applySystemPrompt(parts.body(), insert);
    assertThat(parts.body().at("/messages/0/content/0/text").asText()).isEqualTo("Be precise.");
    assertThat(parts.body().at("/messages/0/content/1/text").asText()).isEqualTo("Own.");
  }

  @Test
  void replaceSwapsTheClientsSystemPrompt() throws Exception {
    ParsedRequest own =
        parse(
            "{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":\"Talk like a pirate.\"},"
                + "{\"role\":\"user\",\"content\":\"q\"}]}");
    BodyRewriter.applySystemPrompt(
        own.body(), new SystemPrompt("Be precise.", SystemPrompt.Mode.REPLACE));
    assertThat(own.body().get("messages")).hasSize(2);
    assertThat(own.body().at("/messages/0/content").asText()).isEqualTo("Be precise.");
  }
}

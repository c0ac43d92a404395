package io.semroute.extproc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.extproc.openai.Json;
import org.junit.jupiter.api.Test;

/** parse, without sockets: what reaches the later stages, and the 4xx a bad body gets. */
class ParseStageTest {
  private final RouterSnapshot snapshot = RouterSnapshot.keywordOnly(StageFixtures.config());
  private final ParseStage parse = new ParseStage();

  @Test
  void autoAndConfiguredModelsGoOnWithTheParsedBody() {
    for (String model : new String[] {"auto", StageFixtures.LLAMA}) {
      RequestContext ctx = StageFixtures.chat(snapshot, StageFixtures.body(model, "hello there"));
      assertThat(parse.apply(ctx).answered()).isFalse();
      assertThat(ctx.request().model()).isEqualTo(model);
      assertThat(ctx.request().userTexts()).containsExactly("hello there");
    }
  }

  @Test
  void anUnknownModelIsA400NamingTheModelsThatExist() throws Exception {
    RequestContext ctx = StageFixtures.chat(snapshot, StageFixtures.body("gpt-17", "hi"));
    StageResult result = parse.apply(ctx);
    assertThat(result.answered()).isTrue();
    assertThat(result.status()).isEqualTo(400);
    JsonNode error = Json.MAPPER.readTree(StageFixtures.bodyOf(result.answer())).path("error");
    assertThat(error.path("code").asText()).isEqualTo("model_not_found");
    assertThat(error.path("param").asText()).isEqualTo("model");
    assertThat(error.path("message").asText())
        .contains("gpt-17", "auto", StageFixtures.QWEN, StageFixtures.LLAMA);
    assertThat(ctx.request()).as("later stages never see it").isNull();
  }

  @Test
  void aBodyThatIsNotJsonIsA400InvalidRequest() throws Exception {
    RequestContext ctx = StageFixtures.chat(snapshot, "{broken");
    StageResult result = parse.apply(ctx);
    assertThat(result.status()).isEqualTo(400);
    JsonNode error = Json.MAPPER.readTree(StageFixtures.bodyOf(result.answer())).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(ctx.request()).isNull();
  }

  @Test
  void aChatWithoutMessagesIsA400() {
    RequestContext ctx = StageFixtures.chat(snapshot, "{\"model\":\"auto\"}");
    assertThat(parse.apply(ctx).status()).isEqualTo(400);
  }
}

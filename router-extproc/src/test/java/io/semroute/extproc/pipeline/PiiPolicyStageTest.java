package io.semroute.extproc.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.config.GuardAction;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.extproc.guard.PiiFindings;
import io.semroute.extproc.openai.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PII policy, without sockets or the PII model: qwen3-8b may see e-mail addresses only, llama
 * everything; the findings are handed in as the guard verdict stage would note them.
 */
class PiiPolicyStageTest {
  private static final String POINTER = "/messages/0/content";

  /** A request decided by the real keyword engine, with these PII findings noted. */
  private static RequestContext decided(
      GuardAction action, String model, String text, String type) {
    RequestContext ctx =
        StageFixtures.chat(
            RouterSnapshot.keywordOnly(StageFixtures.config(action)),
            StageFixtures.body(model, text));
    assertThat(new ParseStage().apply(ctx).answered()).isFalse();
    assertThat(new DecideStage().apply(ctx).answered()).isFalse();
    if (type != null) {
      int start = text.indexOf("555");
      ctx.pii(PiiFindings.of(List.of(new PiiFindings.Located(POINTER, start, start + 7, type))));
    }
    return ctx;
  }

  @Test
  void withoutPiiOrWithAllowedTypesNothingHappens() {
    RequestContext none = decided(GuardAction.BLOCK, "auto", "the derivative of x^2", null);
    assertThat(new PiiPolicyStage().apply(none).answered()).isFalse();
    assertThat(none.piiAction()).isNull();

    RequestContext allowed =
        decided(GuardAction.BLOCK, "auto", "the derivative of 5551234", "EMAIL_ADDRESS");
    assertThat(new PiiPolicyStage().apply(allowed).answered()).isFalse();
    assertThat(allowed.piiAction()).isNull();
    assertThat(allowed.decision().model()).isEqualTo(StageFixtures.QWEN);
    assertThat(StageFixtures.headersSet(allowed.mutations().requestBodyReply()))
        .doesNotContainKey(RoutingHeaders.VSR_PII_ACTION);
  }

  @Test
  void anAutoRequestGoesToTheCategorysNextModelThatMaySeeTheTypes() {
    RequestContext ctx =
        decided(GuardAction.BLOCK, "auto", "the derivative of 5551234", "PHONE_NUMBER");
    assertThat(ctx.decision().model()).isEqualTo(StageFixtures.QWEN);
    assertThat(new PiiPolicyStage().apply(ctx).answered()).isFalse();
    assertThat(ctx.piiAction()).isEqualTo(PiiAction.REROUTED);
    assertThat(ctx.decision().model()).isEqualTo(StageFixtures.LLAMA);
    assertThat(ctx.decision().category()).isEqualTo("math");
    assertThat(ctx.decision().reason()).contains("rerouted from qwen3-8b", "PHONE_NUMBER");
    assertThat(StageFixtures.headersSet(ctx.mutations().requestBodyReply()))
        .containsEntry(RoutingHeaders.VSR_PII_VIOLATION, "true")
        .containsEntry(RoutingHeaders.VSR_PII_ACTION, "rerouted");
  }

  @Test
  void aNamedModelIsNeverReroutedBlockAnswersARefusal() throws Exception {
    RequestContext ctx =
        decided(GuardAction.BLOCK, StageFixtures.QWEN, "call me at 5551234", "PHONE_NUMBER");
    StageResult result = new PiiPolicyStage().apply(ctx);
    assertThat(result.status()).isEqualTo(200);
    assertThat(ctx.piiAction()).isEqualTo(PiiAction.BLOCKED);
    assertThat(ctx.decision().model()).isEqualTo(StageFixtures.QWEN);
    assertThat(StageFixtures.headersSet(result.answer()))
        .containsEntry(RoutingHeaders.VSR_PII_TYPES, "PHONE_NUMBER")
        .containsEntry(RoutingHeaders.VSR_PII_VIOLATION, "true")
        .containsEntry(RoutingHeaders.VSR_PII_ACTION, "blocked");
    JsonNode completion = Json.MAPPER.readTree(StageFixtures.bodyOf(result.answer()));
    assertThat(completion.path("choices").get(0).path("message").path("content").asText())
        .isEqualTo(PiiPolicyStage.REFUSAL);
    assertThat(StageFixtures.bodyOf(result.answer())).doesNotContain("5551234");
  }

  @Test
  void redactReplacesOnlyTheForbiddenSpanAndKeepsEveryOtherByte() {
    RequestContext ctx =
        decided(GuardAction.REDACT, StageFixtures.QWEN, "call me at 5551234", "PHONE_NUMBER");
    byte[] before = ctx.body();
    assertThat(new PiiPolicyStage().apply(ctx).answered()).isFalse();
    assertThat(ctx.piiAction()).isEqualTo(PiiAction.REDACTED);
    assertThat(ctx.bodyChanged()).isTrue();
    String redacted = new String(ctx.body(), StandardCharsets.UTF_8);
    assertThat(redacted)
        .isEqualTo(new String(before, StandardCharsets.UTF_8).replace("5551234", "[PHONE_NUMBER]"));
    assertThat(ctx.request().userTexts()).containsExactly("call me at [PHONE_NUMBER]");
    assertThat(StageFixtures.headersSet(ctx.mutations().requestBodyReply()))
        .containsEntry(RoutingHeaders.VSR_PII_ACTION, "redacted");
  }
}

package io.semroute.extproc.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.openai.Json;
import org.junit.jupiter.api.Test;

class ResponsesRewriterTest {
  private static ObjectNode body(String json) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(json);
  }

  @Test
  void setsModelAndTheGivenEffortKeepingTheRestOfReasoning() throws Exception {
    ObjectNode b =
        body("{\"model\":\"auto\",\"input\":\"x\",\"reasoning\":{\"summary\":\"auto\"}}");
    ResponsesRewriter.setModel(b, "qwen3-8b");
    ResponsesRewriter.setReasoning(b, true, "high");
    assertThat(new String(ResponsesRewriter.serialize(b)))
        .isEqualTo(
            "{\"model\":\"qwen3-8b\",\"input\":\"x\",\"reasoning\":{\"summary\":\"auto\","
                + "\"effort\":\"high\"}}");
  }

  @Test
  void onWithoutAnEffortKeepsTheClientsOrUsesTheDefault() throws Exception {
    ObjectNode own = body("{\"reasoning\":{\"effort\":\"low\"}}");
    ResponsesRewriter.setReasoning(own, true, null);
    assertThat(own.at("/reasoning/effort").asText()).isEqualTo("low");
    ObjectNode wasOff = body("{\"reasoning\":{\"effort\":\"none\"}}");
    ResponsesRewriter.setReasoning(wasOff, true, null);
    assertThat(wasOff.at("/reasoning/effort").asText()).isEqualTo("medium");
    ObjectNode none = body("{}");
    ResponsesRewriter.setReasoning(none, true, null);
    assertThat(none.at("/reasoning/effort").asText()).isEqualTo("medium");
  }

  @Test
  void offOverridesTheClientsEffort() throws Exception {
    ObjectNode b = body("{\"reasoning\":{\"effort\":\"high\"}}");
    ResponsesRewriter.setReasoning(b, false, "high");
    assertThat(b.get("reasoning").toString()).isEqualTo("{\"effort\":\"none\"}");
  }
}

package io.semroute.extproc.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.openai.Json;
import org.junit.jupiter.api.Test;

class MessagesRewriterTest {
  private static ObjectNode body(String json) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(json);
  }

  @Test
  void setsModelAndSwitchesThinkingOnWithTheGivenBudget() throws Exception {
    ObjectNode b = body("{\"model\":\"auto\",\"max_tokens\":8000,\"messages\":[]}");
    MessagesRewriter.setModel(b, "qwen3-8b");
    MessagesRewriter.setThinking(b, true, 4096);
    assertThat(new String(MessagesRewriter.serialize(b)))
        .isEqualTo(
            "{\"model\":\"qwen3-8b\",\"max_tokens\":8000,\"messages\":[],"
                + "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4096}}");
  }

  @Test
  void keepsTheClientsBudgetAndKeepsItBelowMaxTokens() throws Exception {
    ObjectNode own =
        body("{\"max_tokens\":9000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":3000}}");
    MessagesRewriter.setThinking(own, true, 4096);
    assertThat(own.at("/thinking/budget_tokens").asLong()).isEqualTo(3000);
    ObjectNode small = body("{\"max_tokens\":1024}");
    MessagesRewriter.setThinking(small, true, 4096);
    assertThat(small.at("/thinking/budget_tokens").asLong()).isEqualTo(1023);
  }

  @Test
  void offReplacesTheClientsThinkingWithDisabled() throws Exception {
    ObjectNode b =
        body("{\"max_tokens\":9000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":3000}}");
    MessagesRewriter.setThinking(b, false, 4096);
    assertThat(b.get("thinking").toString()).isEqualTo("{\"type\":\"disabled\"}");
  }
}

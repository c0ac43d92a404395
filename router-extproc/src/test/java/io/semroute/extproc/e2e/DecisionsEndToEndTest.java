package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root config's decisions through the real stack (Envoy emulator, real gRPC, the shipped
 * task-type and outcome models, mock vLLM): the task type and the predicted success pick the model
 * and switch reasoning, and the x-vsr-* headers say which decision and which signals did it. One
 * test-only decision is put first (puzzles to the reasoning model with a system prompt); it matches
 * no prompt the root decisions are tested with, so those behave exactly as shipped.
 */
class DecisionsEndToEndTest {
  @TempDir static Path dir;
  private static RouterStack stack;

  @BeforeAll
  static void start() throws Exception {
    Path root = Fixtures.repo();
    assertThat(Files.readString(root.resolve("config.yaml"))).contains("\ndecisions:\n");
    String yaml =
        Files.readString(root.resolve("config.yaml"))
            .replace("model: models/", "model: " + root.resolve("models") + "/")
            .replace("category_model: models/", "category_model: " + root.resolve("models") + "/")
            .replace("task_type_model: models/", "task_type_model: " + root.resolve("models") + "/")
            .replace(
                "\ndecisions:\n",
                """

        decisions:
          - name: puzzles-think
            when: {task_type: [reasoning_puzzle]}
            model: qwen3-8b
            use_reasoning: true
            reasoning_effort: high
            system_prompt: "Solve the puzzle step by step."
        """);
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    RouterConfig config = ConfigLoader.load(file);
    stack = RouterStack.withClassifiers(config);
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static Exchange send(String prompt) throws Exception {
    return stack.envoy.send(
        ClientRequest.postJson("/v1/chat/completions", RouterEndToEndTest.chat("auto", prompt)));
  }

  @Test
  void chitChatGoesToTheCheapModelWithoutReasoning() throws Exception {
    Exchange ex = send("hi, how are you doing today?");
    JsonNode mock = RouterEndToEndTest.assertConsistentUpstream(ex, "llama-3.1-8b-instruct");
    assertThat(mock.has("chat_template_kwargs")).isFalse();
    assertThat(ex.header("x-vsr-decision")).isEqualTo("everyday-to-cheap-model");
    assertThat(ex.header("x-vsr-task-type")).isEqualTo("chit_chat");
    assertThat(ex.header("x-vsr-selected-reasoning")).isEqualTo("off");
    assertThat(ex.header("x-vsr-signals"))
        .contains("task_type=chit_chat", "turns=1", "language=en", "script=latin");
  }

  @Test
  void translationGoesThereToo() throws Exception {
    Exchange ex = send("how do you say thank you very much in japanese");
    RouterEndToEndTest.assertConsistentUpstream(ex, "llama-3.1-8b-instruct");
    assertThat(ex.header("x-vsr-decision")).isEqualTo("everyday-to-cheap-model");
    assertThat(ex.header("x-vsr-task-type")).isEqualTo("translation");
  }

  /**
   * Easy maths by predicted success: the cheap model, no thinking; hard maths keeps the math
   * category's reasoning.
   */
  @Test
  void reasoningFollowsPredictedSuccessForMaths() throws Exception {
    Exchange easy = send("Tom has 3 apples and buys 5 more. How many apples does he have now?");
    JsonNode easyMock = RouterEndToEndTest.assertConsistentUpstream(easy, "llama-3.1-8b-instruct");
    assertThat(easyMock.has("chat_template_kwargs")).isFalse();
    assertThat(easy.header("x-vsr-decision")).isEqualTo("easy-maths-to-cheap-model");
    assertThat(easy.header("x-vsr-task-type")).isEqualTo("maths");
    assertThat(easy.header("x-vsr-signals"))
        .contains("success.llama-3.1-8b-instruct=0.8", "difficulty=");

    Exchange hard =
        send(
            "Let $f(x) = x^3 - 6x^2 + 11x - 6$. Find the sum of the squares of all complex roots of $f(f(x)) = 0$.");
    JsonNode hardMock = RouterEndToEndTest.assertConsistentUpstream(hard, "qwen3-8b");
    assertThat(hardMock.at("/chat_template_kwargs/enable_thinking").asBoolean(false)).isTrue();
    assertThat(hard.header("x-vsr-decision")).isEqualTo("none");
    assertThat(hard.header("x-vsr-selected-category")).isEqualTo("math");
    assertThat(hard.header("x-vsr-selected-reasoning")).isEqualTo("on");
    assertThat(hard.header("x-vsr-task-type")).isEqualTo("maths");
    assertThat(hard.header("x-vsr-signals")).contains("success.llama-3.1-8b-instruct=0.5");
  }

  @Test
  void aDecisionSwitchesReasoningOnWithItsOwnSystemPrompt() throws Exception {
    Exchange ex =
        send(
            "There are 5 houses in a row, numbered 1 on the left to 5 on the right. Clue(s): 1. The person"
                + " who likes red lives directly left of the cellist. Who owns the fish?");
    JsonNode mock = RouterEndToEndTest.assertConsistentUpstream(ex, "qwen3-8b");
    assertThat(mock.at("/chat_template_kwargs/enable_thinking").asBoolean(false)).isTrue();
    assertThat(mock.get("system_prompt").asText()).isEqualTo("Solve the puzzle step by step.");
    assertThat(ex.header("x-vsr-decision")).isEqualTo("puzzles-think");
    assertThat(ex.header("x-vsr-task-type")).isEqualTo("reasoning_puzzle");
    assertThat(ex.header("x-vsr-selected-reasoning")).isEqualTo("on");
  }

  @Test
  void anExplicitModelIsNotDecided() throws Exception {
    Exchange ex =
        stack.envoy.send(
            ClientRequest.postJson(
                "/v1/chat/completions",
                RouterEndToEndTest.chat("qwen3-8b", "hi, how are you doing today?")));
    RouterEndToEndTest.assertConsistentUpstream(ex, "qwen3-8b");
    assertThat(ex.header("x-vsr-decision")).isNull();
  }
}

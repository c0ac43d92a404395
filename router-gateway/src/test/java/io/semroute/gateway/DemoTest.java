package io.semroute.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.testkit.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo on the root config.yaml with the shipped models: real HTTP, gRPC, DJL, mock vLLMs. */
class DemoTest {
  @Test
  void everyPromptGoesWhereTheRootConfigSends() throws Exception {
    List<Demo.Outcome> outcomes;
    try (Demo demo = Demo.start(Fixtures.repo("config.yaml"))) {
      outcomes = demo.run(Demo.PROMPTS);
    }
    Map<String, Demo.Outcome> byKind =
        outcomes.stream().collect(Collectors.toMap(o -> o.prompt().kind(), Function.identity()));
    System.out.print(Demo.table(outcomes));

    Demo.Outcome maths = byKind.get("maths");
    assertThat(maths.status()).isEqualTo(200);
    assertThat(maths.backend()).isEqualTo("vllm-qwen");
    assertThat(maths.model()).isEqualTo("qwen3-8b");
    assertThat(maths.category()).isEqualTo("math");
    assertThat(maths.reasoning()).isEqualTo("on");
    assertThat(maths.reason()).isNotBlank();

    Demo.Outcome chat = byKind.get("chit-chat");
    assertThat(chat.status()).isEqualTo(200);
    assertThat(chat.backend()).isEqualTo("vllm-llama");
    assertThat(chat.reasoning()).isEqualTo("off");

    Demo.Outcome history = byKind.get("history");
    assertThat(history.status()).isEqualTo(200);
    assertThat(history.backend()).isNotNull();

    // The root config answers a refusal as a completion (response: completion).
    Demo.Outcome jailbreak = byKind.get("jailbreak");
    assertThat(jailbreak.status()).isEqualTo(200);
    assertThat(jailbreak.blocked()).isTrue();
    assertThat(jailbreak.backend()).as("never forwarded").isNull();
    assertThat(jailbreak.error()).isEqualTo("content_filter");

    Demo.Outcome pii = byKind.get("PII");
    assertThat(pii.status()).isEqualTo(200);
    assertThat(pii.piiTypes()).contains("CREDIT_CARD");
    // qwen3-8b's pii_policy in the root config does not allow card numbers.
    assertThat(pii.model()).isNotEqualTo("qwen3-8b");

    Demo.Outcome streamed = byKind.get("streamed");
    assertThat(streamed.status()).isEqualTo(200);
    assertThat(streamed.backend()).isNotNull();
    assertThat(streamed.sseEvents()).isGreaterThan(3);

    // The agent APIs: the same routing, answered in the client's API (the mocks serve both).
    Demo.Outcome messages = byKind.get("messages API");
    assertThat(messages.status()).isEqualTo(200);
    assertThat(messages.backend()).isEqualTo("vllm-qwen");
    assertThat(messages.model()).isEqualTo("qwen3-8b");
    assertThat(messages.reasoning()).isEqualTo("on");
    assertThat(messages.sseEvents()).isGreaterThan(3);
    Demo.Outcome responses = byKind.get("responses API");
    assertThat(responses.status()).isEqualTo(200);
    assertThat(responses.backend()).isNotNull();
  }

  @Test
  void theCommandPrintsTheTableAndExitsZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      exit =
          new CommandLine(new DemoCommand())
              .execute("--config", Fixtures.repo("config.yaml").toString());
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    original.print(printed);
    assertThat(exit).isZero();
    assertThat(printed)
        .contains("answered by")
        .contains("maths")
        .contains("jailbreak")
        .contains("streamed")
        .contains("vllm-qwen")
        .contains("vllm-llama");
  }

  @Test
  void aMissingConfigIsExplained() {
    int exit = new CommandLine(new DemoCommand()).execute("--config", "/no/such/config.yaml");
    assertThat(exit).isEqualTo(2);
  }
}

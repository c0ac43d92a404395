package io.semroute.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code router.jar} lists every subcommand the README documents. */
class MainTest {
  @Test
  void everyDocumentedSubcommandIsRegistered() {
    assertThat(Main.commandLine().getSubcommands().keySet())
        .contains(
            "serve",
            "mock-vllm",
            "gateway",
            "demo",
            "classify",
            "embed",
            "train",
            "eval",
            "bench",
            "bench-e2e");
  }
}

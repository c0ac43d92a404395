package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.attempt.AttemptHeaders;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.limits.LimitStores;
import io.semroute.extproc.metrics.RouterMetrics;
import io.semroute.extproc.server.SnapshotBuilder;
import io.semroute.peer.AttemptRecord;
import io.semroute.testkit.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Envoy's fallback never widens the PII policy: the root config.yaml (real category, jailbreak and
 * PII models; qwen3-8b may not see card numbers) with {@code resilience.fallback} on, through the
 * shipped deploy/envoy/envoy.yaml. A maths question is retried on llama when qwen3-8b fails; a
 * maths question carrying a card number goes to llama and, when llama fails, is not moved to
 * qwen3-8b.
 */
class EnvoyFallbackPiiEndToEndTest {
  private static final String QWEN = "qwen3-8b";
  private static final String LLAMA = "llama-3.1-8b-instruct";
  private static RouterStack stack;
  private static ClassifierCache classifiers;
  private static LimitStores limits;

  @BeforeAll
  static void start() throws Exception {
    Path file = Fixtures.repo("config.yaml");
    RouterConfig config =
        ConfigLoader.parse(
            Files.readString(file) + "\nresilience:\n  fallback: {max_attempts: 2}\n", file);
    // serve's snapshot builder: the real classifiers, and the limit state resilience needs.
    classifiers = new ClassifierCache(ClassifierOpener.withDefaultBatching());
    RouterMetrics metrics = new RouterMetrics();
    limits =
        new LimitStores(System::currentTimeMillis, metrics.fleet().breakerListener(), () -> {});
    stack =
        new RouterStack(
            config, EnvoyConfig.load(), new SnapshotBuilder(classifiers, null, metrics, limits));
  }

  @AfterAll
  static void stop() {
    stack.close();
    limits.close();
    classifiers.close();
  }

  private static Exchange ask(String question) throws Exception {
    return stack.envoy.send(
        ClientRequest.postJson("/v1/chat/completions", RouterEndToEndTest.chat("auto", question)));
  }

  @Test
  void aMathsQuestionIsRetriedOnLlamaButOneWithACardNumberIsNeverMovedToQwen() throws Exception {
    stack.qwen.failWith(503);
    stack.llama.failWith(0);
    Exchange plain =
        ask("Find the derivative of f(x) = x^3 - 4x and solve for x where it is zero.");
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.header(AttemptHeaders.FALLBACK_FROM)).isEqualTo(QWEN);
    assertThat(plain.json().path("model").asText()).isEqualTo(LLAMA);

    stack.qwen.failWith(0);
    stack.llama.failWith(503);
    long qwenBefore = stack.qwen.served();
    Exchange card =
        ask(
            "My card number is 4111 1111 1111 1111. Find the derivative of f(x) = x^3 - 4x and"
                + " solve for x where it is zero.");
    assertThat(card.header("x-vsr-pii-types")).contains("CREDIT_CARD");
    assertThat(card.upstream().headers()).doesNotContainKey(AttemptHeaders.CHAIN);
    assertThat(stack.envoy.lastAttempts())
        .extracting(AttemptRecord::endpoint)
        .containsExactly("vllm-llama:8000");
    assertThat(card.status()).isEqualTo(503);
    assertThat(stack.qwen.served()).isEqualTo(qwenBefore);
  }
}

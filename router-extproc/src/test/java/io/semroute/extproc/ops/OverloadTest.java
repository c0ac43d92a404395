package io.semroute.extproc.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.config.Listeners;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.decision.Classification;
import io.semroute.extproc.decision.Classifier;
import io.semroute.extproc.decision.DecisionEngine;
import io.semroute.extproc.e2e.RouterStack;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.guard.RequestGuards;
import io.semroute.extproc.pipeline.RouterSnapshot;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code listeners.max_in_flight}: a request over the limit is answered at once, never queued
 * behind a classifier that is stuck: routed unclassified to the default model (fail open) or
 * refused with 503 {@code overloaded} (fail closed). Through real gRPC, the Envoy emulator and the
 * mock vLLM; the classifier here blocks until the test lets it go.
 */
class OverloadTest {
  private static final String MATH =
      "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the derivative of x^3?\"}]}";

  @Test
  void overTheLimitARequestIsRoutedUnclassifiedToTheDefaultModel() throws Exception {
    Stuck stuck = new Stuck();
    RouterConfig cfg = limited(Listeners.Overload.DEFAULT_MODEL);
    try (RouterStack stack = stack(cfg, stuck)) {
      CompletableFuture<Exchange> first = sendAsync(stack);
      assertThat(stuck.entered.await(10, TimeUnit.SECONDS))
          .as("the first request holds the only slot")
          .isTrue();

      Exchange second = stack.envoy.send(ClientRequest.postJson("/v1/chat/completions", MATH));
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.upstream().json().path("model").asText()).isEqualTo(TestConfigs.LLAMA);
      assertThat(stuck.calls).as("the overloaded request ran no classifier").isEqualTo(1);

      stuck.release.countDown();
      Exchange done = first.get(20, TimeUnit.SECONDS);
      assertThat(done.status()).isEqualTo(200);
      assertThat(done.upstream().json().path("model").asText())
          .as("classified: math")
          .isEqualTo(TestConfigs.QWEN);
      // The slot is free again: the next request is classified.
      Exchange third = stack.envoy.send(ClientRequest.postJson("/v1/chat/completions", MATH));
      assertThat(third.upstream().json().path("model").asText()).isEqualTo(TestConfigs.QWEN);
    }
  }

  @Test
  void failClosedAnswers503OverloadedAndForwardsNothing() throws Exception {
    Stuck stuck = new Stuck();
    try (RouterStack stack = stack(limited(Listeners.Overload.REJECT), stuck)) {
      CompletableFuture<Exchange> first = sendAsync(stack);
      assertThat(stuck.entered.await(10, TimeUnit.SECONDS)).isTrue();

      Exchange second = stack.envoy.send(ClientRequest.postJson("/v1/chat/completions", MATH));
      assertThat(second.status()).isEqualTo(503);
      assertThat(second.upstream()).as("nothing forwarded").isNull();
      assertThat(second.json().path("error").path("code").asText()).isEqualTo("overloaded");

      stuck.release.countDown();
      assertThat(first.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
  }

  private static RouterConfig limited(Listeners.Overload action) {
    RouterConfig base = TestConfigs.sample();
    Listeners l = base.listeners();
    return base.withListeners(
        new Listeners(l.grpcPort(), l.httpPort(), l.metricsPort(), 1, action));
  }

  private static RouterStack stack(RouterConfig cfg, Classifier classifier) throws Exception {
    return new RouterStack(
        cfg,
        EnvoyConfig.load(),
        x -> new RouterSnapshot(x, new DecisionEngine(x, classifier), RequestGuards.NONE));
  }

  private static CompletableFuture<Exchange> sendAsync(RouterStack stack) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return stack.envoy.send(ClientRequest.postJson("/v1/chat/completions", MATH));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** Says "math", but the first call waits until released. */
  private static final class Stuck implements Classifier {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile int calls;

    @Override
    public Classification classify(String text) {
      calls++;
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Classification("math", 0.99, Map.of("math", 0.99));
    }
  }
}

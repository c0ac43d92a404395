package io.semroute.extproc.e2e;

import static io.semroute.extproc.TestConfigs.LLAMA;
import static io.semroute.extproc.TestConfigs.QWEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.Exchange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Long prompts and many concurrent streams through the emulated Envoy. */
class RouterLoadEndToEndTest {
  private static RouterStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = new RouterStack(TestConfigs.sample());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void aOneMegabytePromptIsClassifiedRewrittenAndForwarded() throws Exception {
    StringBuilder prompt = new StringBuilder(1_100_000);
    while (prompt.length() < 1_048_576) {
      prompt.append("Here is some context about the project history and its many details. ");
    }
    prompt.append("Now: what is the derivative of this polynomial?");
    String json = RouterEndToEndTest.chat("auto", prompt.toString());
    assertThat(json.length()).isGreaterThan(1_048_576);

    long start = System.nanoTime();
    Exchange ex = stack.envoy.send(ClientRequest.postJson("/v1/chat/completions", json));
    System.out.printf("1 MB prompt round trip in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    assertThat(ex.status()).isEqualTo(200);
    JsonNode mock = RouterEndToEndTest.assertConsistentUpstream(ex, QWEN);
    assertThat(mock.get("body_bytes").asInt()).isGreaterThan(1_048_576);
    assertThat(ex.upstream().json().at("/messages/1/content").asText())
        .isEqualTo(prompt.toString());
  }

  @Test
  void bodiesAboveGrpcsDefaultMessageLimitStillReachTheRouter() throws Exception {
    // grpc-java rejects inbound messages over 4 MiB unless raised; Envoy sends BUFFERED bodies
    // up to its 50 MiB buffer limit in one message.
    String prompt = "lorem ipsum dolor sit amet ".repeat(12 * 1024 * 1024 / 27) + " photosynthesis";
    Exchange ex =
        stack.envoy.send(
            ClientRequest.postJson(
                "/v1/chat/completions", RouterEndToEndTest.chat("auto", prompt)));
    assertThat(ex.status()).isEqualTo(200);
    RouterEndToEndTest.assertConsistentUpstream(ex, LLAMA);
    assertThat(ex.upstream().body().length).isGreaterThan(12 * 1024 * 1024 - 100);
  }

  @Test
  void bodiesOverEnvoysBufferLimitGet413FromEnvoyWithoutReachingTheRouter() throws Exception {
    byte[] huge = new byte[51 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'a');
    Exchange ex =
        stack.envoy.send(
            new ClientRequest(
                "POST", "/v1/chat/completions", Map.of("content-type", "application/json"), huge));
    assertThat(ex.status()).isEqualTo(413);
    assertThat(ex.trace())
        .extracting(Exchange.Step::sent)
        .doesNotContain(ProcessingRequest.RequestCase.REQUEST_BODY);
  }

  @Test
  void sixtyFourConcurrentStreamsAreEachRoutedCorrectly() throws Exception {
    int n = 64;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Exchange>> futures = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String json;
        switch (i % 4) {
          case 0 -> {
            json = RouterEndToEndTest.chat("auto", "Integral number " + i + " of x dx");
            expected.add(QWEN);
          }
          case 1 -> {
            json = RouterEndToEndTest.chat("auto", "Photosynthesis question " + i);
            expected.add(LLAMA);
          }
          case 2 -> {
            json = RouterEndToEndTest.chat(QWEN, "explicit " + i);
            expected.add(QWEN);
          }
          default -> {
            json = RouterEndToEndTest.chat("auto", "Tell me a story " + i);
            expected.add(LLAMA);
          }
        }
        boolean stream = i % 8 == 7;
        String body = stream ? json.replaceFirst("\\{", "{\"stream\":true,") : json;
        Callable<Exchange> call =
            () -> {
              go.await();
              return stack.envoy.send(ClientRequest.postJson("/v1/chat/completions", body));
            };
        futures.add(pool.submit(call));
      }
      long start = System.nanoTime();
      go.countDown();
      for (int i = 0; i < n; i++) {
        Exchange ex = futures.get(i).get();
        assertThat(ex.status()).as("request %d", i).isEqualTo(200);
        assertThat(ex.upstream().header("x-selected-model"))
            .as("request %d", i)
            .isEqualTo(expected.get(i));
        assertThat(ex.header("x-mock-model")).as("request %d", i).isEqualTo(expected.get(i));
        assertThat(ex.upstream().header("content-length"))
            .isEqualTo(Integer.toString(ex.upstream().body().length));
      }
      // A figure for the reader, not an assertion: timing depends on the machine.
      System.out.printf(
          "64 concurrent streams (client->emulator->router->mock) done in %d ms%n",
          (System.nanoTime() - start) / 1_000_000);
    } finally {
      pool.shutdownNow();
    }
  }
}

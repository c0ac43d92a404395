package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.emulator.EnvoyEmulator;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.server.RouterServer;
import io.semroute.peer.mock.MockVllmServer;
import io.semroute.testkit.Fixtures;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code serve --config} runs, on a copy of the root config.yaml with its real models: health,
 * API, routing by meaning, hot reload that reuses loaded models and refuses a config the model does
 * not fit.
 */
class ServeEndToEndTest {
  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void servesReportsHealthAnswersTheApiAndHotReloads() throws Exception {
    Path root = Fixtures.repo();
    String yaml =
        Files.readString(root.resolve("config.yaml"))
            .replaceFirst("grpc_port: *50051", "grpc_port: " + freePort())
            .replaceFirst("http_port: *8080", "http_port: " + freePort())
            .replaceFirst("metrics_port: *9190", "metrics_port: " + freePort())
            // The copy lives in a temp folder: point its relative model paths at the checkout's.
            .replace("model: models/", "model: " + root.resolve("models") + "/")
            .replace("category_model: models/", "category_model: " + root.resolve("models") + "/");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, yaml);

    try (RouterServer service = RouterServer.start(config, r -> {});
        MockVllmServer qwen =
            new MockVllmServer(
                    new InetSocketAddress("127.0.0.1", 0), "vllm-qwen", List.of("qwen3-8b"), 2)
                .start();
        MockVllmServer llama =
            new MockVllmServer(
                    new InetSocketAddress("127.0.0.1", 0),
                    "vllm-llama",
                    List.of("llama-3.1-8b-instruct"),
                    2)
                .start();
        EnvoyEmulator envoy =
            new EnvoyEmulator(
                EnvoyConfig.load(),
                service.grpcPort(),
                Map.of(
                    "vllm-qwen:8000", new InetSocketAddress("127.0.0.1", qwen.port()),
                    "vllm-llama:8000", new InetSocketAddress("127.0.0.1", llama.port())))) {

      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort()).usePlaintext().build();
      try {
        ServingStatus status =
            HealthGrpc.newBlockingStub(channel)
                .check(
                    HealthCheckRequest.newBuilder()
                        .setService("envoy.service.ext_proc.v3.ExternalProcessor")
                        .build())
                .getStatus();
        assertThat(status).isEqualTo(ServingStatus.SERVING);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }

      HttpResponse<String> models =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + service.httpPort() + "/v1/models"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(models.statusCode()).isEqualTo(200);
      assertThat(models.body()).contains("\"auto\"", "\"qwen3-8b\"", "\"llama-3.1-8b-instruct\"");

      // Routing by meaning from the first request: the models were loaded before SERVING.
      String maths = RouterEndToEndTest.chat("auto", "Solve the equation 3x + 5 = 20 for x.");
      Exchange before = envoy.send(ClientRequest.postJson("/v1/chat/completions", maths));
      RouterEndToEndTest.assertConsistentUpstream(before, "qwen3-8b");
      assertThat(before.header("x-vsr-selected-reasoning")).isEqualTo("on");
      int loads = service.classifiers().openCount();
      assertThat(loads)
          .as(
              "category, jailbreak (both stages of its cascade), PII, task-type and outcome models,"
                  + " the semantic cache's embedder")
          .isEqualTo(7);

      // The root config's semantic cache (memory, partitioned by x-user-id) is wired into serve.
      ClientRequest faq =
          ClientRequest.postJson(
                  "/v1/chat/completions",
                  RouterEndToEndTest.chat("auto", "What is the capital of France?"))
              .withHeader("x-user-id", "alice");
      assertThat(envoy.send(faq).localReply()).isFalse();
      Exchange hit = envoy.send(faq);
      assertThat(hit.header("x-vsr-cache-hit")).isEqualTo("true");
      assertThat(hit.json().at("/choices/0/message/content").asText())
          .startsWith("mock answer from vllm-llama");

      // Hot reload: maths now prefers llama. Applies to the next request without a restart, and
      // the models, whose paths did not change, are reused rather than loaded again.
      Files.writeString(
          config,
          yaml.replace(
              "- {model: qwen3-8b, score: 1.0, use_reasoning: true}",
              "- {model: qwen3-8b, score: 0.3, use_reasoning: true}"));
      for (int i = 0;
          i < 300
              && service
                  .currentConfig()
                  .category("math")
                  .orElseThrow()
                  .bestModel()
                  .model()
                  .equals("qwen3-8b");
          i++) {
        Thread.sleep(100);
      }
      assertThat(service.currentConfig().category("math").orElseThrow().bestModel().model())
          .as("reloaded")
          .isEqualTo("llama-3.1-8b-instruct");
      Exchange after = envoy.send(ClientRequest.postJson("/v1/chat/completions", maths));
      RouterEndToEndTest.assertConsistentUpstream(after, "llama-3.1-8b-instruct");
      assertThat(after.header("x-vsr-selected-category")).isEqualTo("math");
      assertThat(service.classifiers().openCount())
          .as("models loaded again by the reload")
          .isEqualTo(loads);

      // A reload whose category model does not fit the categories is refused: the running
      // config and its models stay.
      Files.writeString(config, yaml.replace("- name: math", "- name: maths"));
      Thread.sleep(1500);
      assertThat(service.currentConfig().category("math")).as("bad reload refused").isPresent();
      Exchange still = envoy.send(ClientRequest.postJson("/v1/chat/completions", maths));
      RouterEndToEndTest.assertConsistentUpstream(still, "llama-3.1-8b-instruct");
    }
  }
}

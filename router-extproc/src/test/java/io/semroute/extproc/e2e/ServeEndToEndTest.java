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
import io.semroute.extproc.mock.MockVllmServer;
import io.semroute.extproc.server.RouterService;
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

/** What {@code serve --config} runs, on a copy of the root config.yaml: health, API, hot reload. */
class ServeEndToEndTest {
  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void servesReportsHealthAnswersTheApiAndHotReloads() throws Exception {
    Path root = EnvoyConfig.defaultPath().getParent().getParent().getParent();
    String yaml = Files.readString(root.resolve("config.yaml"))
        .replaceFirst("grpc_port: *50051", "grpc_port: " + freePort())
        .replaceFirst("http_port: *8080", "http_port: " + freePort())
        .replaceFirst("metrics_port: *9190", "metrics_port: " + freePort());
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, yaml);

    try (RouterService service = RouterService.start(config, r -> {});
        MockVllmServer qwen = new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-qwen", List.of("qwen3-8b"), 2).start();
        MockVllmServer llama = new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-llama",
            List.of("llama-3.1-8b-instruct"), 2).start();
        EnvoyEmulator envoy = new EnvoyEmulator(EnvoyConfig.load(), service.grpcPort(), Map.of(
            "vllm-qwen:8000", new InetSocketAddress("127.0.0.1", qwen.port()),
            "vllm-llama:8000", new InetSocketAddress("127.0.0.1", llama.port())))) {

      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", service.grpcPort()).usePlaintext().build();
      try {
        ServingStatus status = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder()
            .setService("envoy.service.ext_proc.v3.ExternalProcessor").build()).getStatus();
        assertThat(status).isEqualTo(ServingStatus.SERVING);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }

      HttpResponse<String> models = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/v1/models")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(models.statusCode()).isEqualTo(200);
      assertThat(models.body()).contains("\"auto\"", "\"qwen3-8b\"", "\"llama-3.1-8b-instruct\"");

      String chitchat = RouterEndToEndTest.chat("auto", "Good morning! How are you today?");
      Exchange before = envoy.send(ClientRequest.postJson("/v1/chat/completions", chitchat));
      RouterEndToEndTest.assertConsistentUpstream(before, "llama-3.1-8b-instruct");

      // Hot reload: a new default model applies to the next request without a restart.
      Files.writeString(config, yaml.replaceFirst("default_model: *llama-3.1-8b-instruct", "default_model: qwen3-8b"));
      for (int i = 0; i < 300 && !service.currentConfig().defaultModel().equals("qwen3-8b"); i++) {
        Thread.sleep(100);
      }
      assertThat(service.currentConfig().defaultModel()).as("reloaded").isEqualTo("qwen3-8b");
      Exchange after = envoy.send(ClientRequest.postJson("/v1/chat/completions", chitchat));
      RouterEndToEndTest.assertConsistentUpstream(after, "qwen3-8b");
    }
  }
}

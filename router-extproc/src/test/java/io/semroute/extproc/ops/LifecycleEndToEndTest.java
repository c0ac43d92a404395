package io.semroute.extproc.ops;

import static io.semroute.extproc.ops.OpsFixtures.http;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyEmulator;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.server.RouterServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up, hot reload and SIGTERM as an operator sees them: {@code /ready} 503 while loading and
 * while draining; health NOT_SERVING before streams are refused; an open stream finishes (on the
 * config it started with) while a reload or a shutdown happens around it.
 */
class LifecycleEndToEndTest {
  private static final String MATH =
      "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the integral of x?\"}]}";
  private static final String USAGE_BODY =
      "{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}";

  @TempDir Path dir;

  @Test
  void readinessWhileLoadingThenServingThenDrainingWithAStreamOpen() throws Exception {
    int httpPort = OpsFixtures.freePort();
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        OpsFixtures.keywordConfig("", "").replace("http_port: 0", "http_port: " + httpPort));
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch mayLoad = new CountDownLatch(1);
    RouterServer.Options options =
        new RouterServer.Options(
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            System::getenv,
            () -> {
              loading.countDown();
              try {
                mayLoad.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    CompletableFuture<RouterServer> starting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return RouterServer.start(config, r -> {}, options);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(loading.await(60, TimeUnit.SECONDS)).isTrue();
    String api = "http://127.0.0.1:" + httpPort;
    // Loading: the process answers, but it is not ready and serves nothing else yet.
    assertThat(http("GET", api + "/health", null).statusCode()).isEqualTo(200);
    var ready = http("GET", api + "/ready", null);
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("\"starting\"");
    assertThat(http("POST", api + "/api/v1/classify/intent", "{\"text\":\"x\"}").statusCode())
        .isEqualTo(503);
    mayLoad.countDown();
    RouterServer router = starting.get(60, TimeUnit.SECONDS);
    try {
      assertThat(http("GET", api + "/ready", null).statusCode()).isEqualTo(200);

      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", router.grpcPort()).usePlaintext().build();
      try {
        BlockingQueue<ServingStatus> health = new LinkedBlockingQueue<>();
        // A watch is an open RPC too: cancelled once it has said NOT_SERVING, as a prober would.
        Context.CancellableContext watchContext = Context.current().withCancellation();
        watchContext.run(
            () ->
                HealthGrpc.newStub(channel)
                    .watch(
                        HealthCheckRequest.newBuilder()
                            .setService("envoy.service.ext_proc.v3.ExternalProcessor")
                            .build(),
                        new StreamObserver<>() {
                          @Override
                          public void onNext(HealthCheckResponse r) {
                            health.add(r.getStatus());
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onCompleted() {}
                        }));
        assertThat(health.poll(30, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);

        // A request in flight: routed, its response not yet seen.
        RawExtProcStream stream = new RawExtProcStream(channel);
        stream.send(RawExtProcStream.requestHeaders("POST", "/v1/chat/completions"));
        ProcessingResponse routed = stream.send(RawExtProcStream.requestBody(MATH));
        assertThat(RawExtProcStream.setHeader(routed, "x-selected-model")).isEqualTo("qwen3-8b");

        // SIGTERM (the shutdown hook calls close()).
        Thread closer = new Thread(router::close, "test-sigterm");
        closer.start();
        assertThat(health.poll(30, TimeUnit.SECONDS))
            .as("health goes NOT_SERVING first")
            .isEqualTo(ServingStatus.NOT_SERVING);
        watchContext.cancel(null);
        var draining = http("GET", api + "/ready", null);
        assertThat(draining.statusCode()).isEqualTo(503);
        assertThat(draining.body()).contains("\"draining\"");
        assertThat(closer.isAlive()).as("shutdown waits for the open stream").isTrue();
        // New streams are refused while the old one drains. (NOT_SERVING is sent just before the
        // server stops taking streams: one that slips in between is played to its end.)
        boolean refused = false;
        for (int i = 0; i < 100 && !refused; i++) {
          RawExtProcStream late = new RawExtProcStream(channel);
          try {
            late.send(RawExtProcStream.requestHeaders("GET", "/v1/other"));
            late.complete();
            Thread.sleep(50);
          } catch (AssertionError e) {
            refused = true;
          }
        }
        assertThat(refused).as("a stream opened after SIGTERM is refused").isTrue();

        // The open stream finishes normally.
        ProcessingResponse headersReply =
            stream.send(RawExtProcStream.responseHeaders(200, "application/json"));
        assertThat(headersReply.hasResponseHeaders()).isTrue();
        assertThat(stream.send(RawExtProcStream.responseBody(USAGE_BODY)).hasResponseBody())
            .isTrue();
        assertThat(stream.complete()).isSameAs(RawExtProcStream.COMPLETED);
        closer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(closer.isAlive()).as("shutdown finished once the stream ended").isFalse();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      router.close();
    }
  }

  @Test
  void reloadAppliesToNewStreamsWhileAnOpenOneFinishesOnItsConfig() throws Exception {
    Path config = dir.resolve("config.yaml");
    String yaml = OpsFixtures.keywordConfig("", "");
    Files.writeString(config, yaml);
    try (OpsFixtures.Backends backends = new OpsFixtures.Backends(2);
        RouterServer router = RouterServer.start(config, r -> {});
        EnvoyEmulator envoy = backends.envoy(router.grpcPort())) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", router.grpcPort()).usePlaintext().build();
      try {
        // Opened (headers exchanged) under the first config: maths -> qwen3-8b.
        RawExtProcStream open = new RawExtProcStream(channel);
        open.send(RawExtProcStream.requestHeaders("POST", "/v1/chat/completions"));

        // Reload: maths now prefers llama.
        Files.writeString(
            config,
            yaml.replace(
                "- {model: qwen3-8b, score: 1.0, use_reasoning: true}",
                "- {model: qwen3-8b, score: 0.3, use_reasoning: true}"));
        for (int i = 0;
            i < 300
                && router
                    .currentConfig()
                    .category("math")
                    .orElseThrow()
                    .bestModel()
                    .model()
                    .equals("qwen3-8b");
            i++) {
          Thread.sleep(50);
        }
        assertThat(router.currentConfig().category("math").orElseThrow().bestModel().model())
            .as("reloaded")
            .isEqualTo("llama-3.1-8b-instruct");

        // A new stream sees the new config.
        Exchange fresh = envoy.send(ClientRequest.postJson("/v1/chat/completions", MATH));
        assertThat(fresh.upstream().header("x-selected-model")).isEqualTo("llama-3.1-8b-instruct");
        assertThat(fresh.header("x-mock-instance")).isEqualTo("vllm-llama");

        // The stream opened before the reload finishes on the config it started with.
        ProcessingResponse routed = open.send(RawExtProcStream.requestBody(MATH));
        assertThat(RawExtProcStream.setHeader(routed, "x-selected-model")).isEqualTo("qwen3-8b");
        open.send(RawExtProcStream.responseHeaders(200, "application/json"));
        open.send(RawExtProcStream.responseBody(USAGE_BODY));
        assertThat(open.complete()).isSameAs(RawExtProcStream.COMPLETED);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aStreamStillOpenAtTheDrainDeadlineIsCut() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, OpsFixtures.keywordConfig("", ""));
    RouterServer router =
        RouterServer.start(
            config,
            r -> {},
            new RouterServer.Options(
                Duration.ofMillis(500), Duration.ofSeconds(10), System::getenv, () -> {}));
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", router.grpcPort()).usePlaintext().build();
    try {
      RawExtProcStream stuck = new RawExtProcStream(channel);
      stuck.send(RawExtProcStream.requestHeaders("POST", "/v1/chat/completions"));
      router.close(); // returns after the deadline although the stream never ended
      assertThat(stuck.inbox.poll(30, TimeUnit.SECONDS))
          .as("the stream is cut")
          .isInstanceOf(Throwable.class);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      router.close();
    }
  }
}

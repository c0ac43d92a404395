package io.semroute.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.envoy.Replies;
import io.semroute.peer.mock.MockVllmServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway punishes what Envoy punishes: a scripted ext_proc server (not the router) sends
 * replies Envoy would refuse, and the gateway must fail the request as a fail-closed Envoy does.
 */
class GatewayProtocolTest {
  private RouterConfig config;
  private MockVllmServer backend;
  private Server processor;
  private Gateway gateway;
  private final HttpClient http = HttpClient.newHttpClient();

  /** Replies per message; null = never reply. */
  private volatile Function<ProcessingRequest, ProcessingResponse> script;

  @BeforeEach
  void start() throws Exception {
    config = ConfigLoader.load(Path.of(getClass().getResource("/keywords-config.yaml").toURI()));
    backend =
        new MockVllmServer(
                new InetSocketAddress("127.0.0.1", 0),
                "vllm-llama",
                List.of("llama-3.1-8b-instruct", "qwen3-8b"),
                3)
            .start();
    processor =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new ExternalProcessorGrpc.ExternalProcessorImplBase() {
                  @Override
                  public StreamObserver<ProcessingRequest> process(
                      StreamObserver<ProcessingResponse> out) {
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(ProcessingRequest r) {
                        ProcessingResponse reply = script.apply(r);
                        if (reply != null) {
                          out.onNext(reply);
                        }
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        out.onCompleted();
                      }
                    };
                  }
                })
            .build()
            .start();
    String address = "127.0.0.1:" + backend.port();
    gateway =
        Gateway.start(
            config,
            new Gateway.Settings(
                new InetSocketAddress("127.0.0.1", 0),
                "127.0.0.1",
                processor.getPort(),
                Map.of("llama-3.1-8b-instruct", address, "qwen3-8b", address),
                Duration.ofMillis(500),
                1024,
                Duration.ofSeconds(30)));
  }

  @AfterEach
  void stop() throws InterruptedException {
    gateway.close();
    processor.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    backend.close();
  }

  private HttpResponse<String> post(String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final String BODY =
      "{\"model\":\"llama-3.1-8b-instruct\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** Continue everything; {@code onBody} answers the request body. */
  private static Function<ProcessingRequest, ProcessingResponse> continuing(
      Function<ProcessingRequest, ProcessingResponse> onBody) {
    return r ->
        switch (r.getRequestCase()) {
          case REQUEST_HEADERS -> Replies.requestHeadersContinue();
          case REQUEST_BODY -> onBody.apply(r);
          case RESPONSE_HEADERS -> Replies.responseHeadersContinue();
          case RESPONSE_BODY -> Replies.responseBodyContinue();
          default -> throw new IllegalStateException(r.getRequestCase().toString());
        };
  }

  @Test
  void aReplacedBodyWithoutItsContentLengthFailsTheRequest() throws Exception {
    script =
        continuing(
            r ->
                ProcessingResponse.newBuilder()
                    .setRequestBody(
                        BodyResponse.newBuilder()
                            .setResponse(
                                CommonResponse.newBuilder()
                                    .setBodyMutation(
                                        BodyMutation.newBuilder()
                                            .setBody(
                                                ByteString.copyFromUtf8(
                                                    BODY.replace("hi", "hello there"))))))
                    .build());
    long before = backend.served();
    HttpResponse<String> r = post(BODY);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).contains("mismatch between content length");
    assertThat(backend.served()).isEqualTo(before);
  }

  @Test
  void aReplacedBodyWithItsContentLengthGoesThrough() throws Exception {
    byte[] replaced = BODY.replace("hi", "hello there").getBytes(StandardCharsets.UTF_8);
    script =
        continuing(
            r ->
                ProcessingResponse.newBuilder()
                    .setRequestBody(
                        BodyResponse.newBuilder()
                            .setResponse(
                                CommonResponse.newBuilder()
                                    .setHeaderMutation(
                                        HeaderMutation.newBuilder()
                                            .addSetHeaders(
                                                Replies.overwrite(
                                                    "content-length",
                                                    Integer.toString(replaced.length))))
                                    .setBodyMutation(
                                        BodyMutation.newBuilder()
                                            .setBody(ByteString.copyFrom(replaced)))))
                    .build());
    HttpResponse<String> r = post(BODY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"body_bytes\":" + replaced.length);
  }

  @Test
  void aSpuriousReplyFailsTheRequest() throws Exception {
    // A headers reply to the body message: Envoy >= 1.35 fails the request with status_on_error.
    script = continuing(r -> Replies.requestHeadersContinue());
    assertThat(post(BODY).statusCode()).isEqualTo(500);
  }

  @Test
  void aRouterThatDoesNotAnswerInTimeGets504() throws Exception {
    script = continuing(r -> null);
    assertThat(post(BODY).statusCode()).isEqualTo(504);
  }

  @Test
  void clearRouteCacheWithoutAHeaderMutationIsIgnored() throws Exception {
    // The route was matched on the client's headers (no x-selected-model: the default model's
    // backend) and a bare clear_route_cache does not re-match it, as in Envoy.
    script =
        r ->
            switch (r.getRequestCase()) {
              case REQUEST_HEADERS ->
                  ProcessingResponse.newBuilder()
                      .setRequestHeaders(
                          HeadersResponse.newBuilder()
                              .setResponse(CommonResponse.newBuilder().setClearRouteCache(true)))
                      .build();
              case REQUEST_BODY -> Replies.requestBodyContinue();
              case RESPONSE_HEADERS -> Replies.responseHeadersContinue();
              default -> Replies.responseBodyContinue();
            };
    HttpResponse<String> r = post(BODY);
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void aBodyOverTheBufferLimitIs413() throws Exception {
    script = continuing(r -> Replies.requestBodyContinue());
    String big = BODY.replace("hi", "x".repeat(2000));
    assertThat(post(big).statusCode()).isEqualTo(413);
  }

  @Test
  void backendOverridesAreChecked() {
    assertThatThrownBy(() -> Upstreams.of(config, Map.of("gpt-9", "localhost:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown model 'gpt-9'");
    assertThatThrownBy(() -> Upstreams.of(config, Map.of("qwen3-8b", "localhost")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected host:port");
    assertThatThrownBy(() -> Upstreams.of(config, Map.of("qwen3-8b", "localhost:0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1-65535");
    Upstreams u = Upstreams.of(config, Map.of("qwen3-8b", "[::1]:8001"));
    assertThat(u.describe().get("qwen3-8b")).containsExactly("[::1]:8001");
    assertThat(u.describe().get("llama-3.1-8b-instruct")).containsExactly("vllm-llama:8000");
    assertThat(u.routeModel(null)).isEqualTo("llama-3.1-8b-instruct");
    assertThat(u.routeModel("nope")).isEqualTo("llama-3.1-8b-instruct");
    assertThat(u.routeModel("qwen3-8b")).isEqualTo("qwen3-8b");
  }
}

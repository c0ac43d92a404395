package io.semroute.extproc.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.semroute.extproc.envoy.Replies;
import io.semroute.peer.mock.MockVllmServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator must catch what Envoy punishes; otherwise the end-to-end tests prove nothing. Each
 * case runs a deliberately wrong processor over a real gRPC socket.
 */
class EnvoyEmulatorTest {
  private static final String CHAT =
      "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private Server server;
  private MockVllmServer qwen;
  private MockVllmServer llama;
  private EnvoyEmulator envoy;

  /** A processor that answers each message with whatever the script says (possibly several). */
  private void start(Function<ProcessingRequest, List<ProcessingResponse>> script)
      throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new ExternalProcessorGrpc.ExternalProcessorImplBase() {
                  @Override
                  public StreamObserver<ProcessingRequest> process(
                      StreamObserver<ProcessingResponse> out) {
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(ProcessingRequest r) {
                        script.apply(r).forEach(out::onNext);
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
    qwen =
        new MockVllmServer(
                new InetSocketAddress("127.0.0.1", 0), "vllm-qwen", List.of("qwen3-8b"), 2)
            .start();
    llama =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "vllm-llama", List.of("auto"), 2)
            .start();
    envoy =
        new EnvoyEmulator(
            EnvoyConfig.load(),
            server.getPort(),
            Map.of(
                "vllm-qwen:8000", new InetSocketAddress("127.0.0.1", qwen.port()),
                "vllm-llama:8000", new InetSocketAddress("127.0.0.1", llama.port())));
  }

  @AfterEach
  void stop() {
    envoy.close();
    server.shutdownNow();
    qwen.close();
    llama.close();
  }

  private static List<ProcessingResponse> passThrough(ProcessingRequest r) {
    return List.of(
        switch (r.getRequestCase()) {
          case REQUEST_HEADERS -> Replies.requestHeadersContinue();
          case REQUEST_BODY -> Replies.requestBodyContinue();
          case RESPONSE_HEADERS -> Replies.responseHeadersContinue();
          case RESPONSE_BODY -> Replies.responseBodyContinue();
          default -> throw new IllegalStateException();
        });
  }

  private static ProcessingResponse bodyReply(CommonResponse common) {
    return ProcessingResponse.newBuilder()
        .setRequestBody(BodyResponse.newBuilder().setResponse(common))
        .build();
  }

  @Test
  void aWellBehavedPassThroughProcessorWorks() throws Exception {
    start(EnvoyEmulatorTest::passThrough);
    Exchange ex = envoy.send(ClientRequest.postJson("/v1/chat/completions", CHAT));
    assertThat(ex.status()).isEqualTo(200);
    assertThat(ex.upstream().cluster()).isEqualTo("vllm-llama");
  }

  @Test
  void aReplyOfTheWrongTypeFails() throws Exception {
    start(r -> r.hasRequestHeaders() ? List.of(Replies.requestBodyContinue()) : passThrough(r));
    assertThatThrownBy(() -> envoy.send(ClientRequest.postJson("/v1/chat/completions", CHAT)))
        .isInstanceOf(ProtocolViolation.class)
        .hasMessageContaining("spurious reply REQUEST_BODY to REQUEST_HEADERS");
  }

  @Test
  void anImmediateResponseOnTheResponsePathFails() throws Exception {
    start(
        r ->
            r.hasResponseHeaders()
                ? List.of(
                    ProcessingResponse.newBuilder()
                        .setImmediateResponse(ImmediateResponse.getDefaultInstance())
                        .build())
                : passThrough(r));
    assertThatThrownBy(() -> envoy.send(ClientRequest.postJson("/v1/chat/completions", CHAT)))
        .isInstanceOf(ProtocolViolation.class)
        .hasMessageContaining("IMMEDIATE_RESPONSE to RESPONSE_HEADERS");
  }

  @Test
  void twoRepliesToOneMessageFail() throws Exception {
    start(
        r ->
            r.hasRequestBody()
                ? List.of(Replies.requestBodyContinue(), Replies.requestBodyContinue())
                : passThrough(r));
    assertThatThrownBy(() -> envoy.send(ClientRequest.postJson("/v1/chat/completions", CHAT)))
        .isInstanceOf(ProtocolViolation.class)
        .hasMessageContaining("spurious");
  }

  @Test
  void aReplacedBodyWithoutItsContentLengthFails() throws Exception {
    start(
        r ->
            r.hasRequestBody()
                ? List.of(
                    bodyReply(
                        CommonResponse.newBuilder()
                            .setBodyMutation(
                                BodyMutation.newBuilder()
                                    .setBody(ByteString.copyFromUtf8("{\"model\":\"qwen3-8b\"}")))
                            .build()))
                : passThrough(r));
    assertThatThrownBy(() -> envoy.send(ClientRequest.postJson("/v1/chat/completions", CHAT)))
        .isInstanceOf(ProtocolViolation.class)
        .hasMessageContaining("mismatch between content length");
  }

  @Test
  void clearRouteCacheWithoutAHeaderMutationIsIgnored() throws Exception {
    // Sets the routing header in the headers reply WITHOUT clearing, then clears in the body reply
    // WITHOUT a header mutation: Envoy keeps the route matched on the client's headers.
    start(
        r -> {
          if (r.hasRequestHeaders()) {
            return List.of(
                ProcessingResponse.newBuilder()
                    .setRequestHeaders(
                        HeadersResponse.newBuilder()
                            .setResponse(
                                CommonResponse.newBuilder()
                                    .setHeaderMutation(
                                        HeaderMutation.newBuilder()
                                            .addSetHeaders(
                                                Replies.overwrite(
                                                    "x-selected-model", "qwen3-8b")))))
                    .build());
          }
          if (r.hasRequestBody()) {
            return List.of(bodyReply(CommonResponse.newBuilder().setClearRouteCache(true).build()));
          }
          return passThrough(r);
        });
    Exchange ex = envoy.send(ClientRequest.postJson("/v1/chat/completions", CHAT));
    assertThat(ex.upstream().header("x-selected-model")).isEqualTo("qwen3-8b");
    assertThat(ex.upstream().cluster()).as("route cache not cleared").isEqualTo("vllm-llama");
  }

  @Test
  void headerMutationsFollowEnvoysRules() throws Exception {
    start(
        r -> {
          if (r.hasRequestHeaders()) {
            HeaderMutation m =
                HeaderMutation.newBuilder()
                    .addSetHeaders(Replies.overwrite("host", "evil"))
                    .addSetHeaders(Replies.overwrite("x-envoy-original-path", "/x"))
                    .addSetHeaders(Replies.overwrite("x-selected-model", "qwen3-8b"))
                    .build();
            return List.of(
                ProcessingResponse.newBuilder()
                    .setRequestHeaders(
                        HeadersResponse.newBuilder()
                            .setResponse(
                                CommonResponse.newBuilder()
                                    .setHeaderMutation(m)
                                    .setClearRouteCache(true)))
                    .build());
          }
          return passThrough(r);
        });
    Exchange ex =
        envoy.send(
            ClientRequest.postJson("/v1/chat/completions", CHAT.replace("auto", "qwen3-8b"))
                .withHeader("x-selected-model", "llama"));
    assertThat(ex.upstream().header("x-selected-model")).isEqualTo("qwen3-8b");
    assertThat(ex.upstream().headers().get("x-selected-model")).hasSize(1);
    assertThat(ex.upstream().header("x-envoy-original-path")).isNull();
    assertThat(ex.upstream().header(":authority")).isEqualTo("envoy:8801");
    assertThat(ex.upstream().cluster()).isEqualTo("vllm-qwen");
  }
}

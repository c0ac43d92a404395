package io.semroute.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeadersResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest.RequestCase;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.semroute.peer.mock.MockVllmServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Envoy's rules as the walk plays them, against a scripted processor over a real gRPC socket and
 * the mock vLLM over real HTTP. The route is the model named by {@code x-selected-model} (the
 * client's {@code x-client-model} before the processor sets one); "none" has no route.
 */
class FilterWalkTest {
  private static final String CHAT =
      "{\"model\":\"m1\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private MockVllmServer backend;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void startBackend() throws Exception {
    backend =
        new MockVllmServer(new InetSocketAddress("127.0.0.1", 0), "mock", List.of("m1", "m2"), 3)
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination();
    }
    backend.close();
  }

  /** A processor answering each message as the script says; it ends the stream when Envoy does. */
  private FilterWalk<String> walkWith(
      Function<ProcessingRequest, List<ProcessingResponse>> script,
      boolean allowModeOverride,
      long bufferLimitBytes)
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
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    return new FilterWalk<>(
        ExternalProcessorGrpc.newStub(channel),
        new FilterSettings(
            FilterSettings.ENVOY_YAML_MODE,
            allowModeOverride,
            bufferLimitBytes,
            Duration.ofSeconds(5)),
        headers -> {
          String model = first(headers, "x-selected-model");
          model = model != null ? model : first(headers, "x-client-model");
          return "none".equals(model) ? null : model;
        },
        new HttpUpstream<>(
            HttpClient.newHttpClient(),
            model -> "127.0.0.1:" + backend.port(),
            Duration.ofSeconds(10),
            false));
  }

  private static List<ProcessingResponse> passThrough(ProcessingRequest r) {
    CommonResponse none = CommonResponse.getDefaultInstance();
    ProcessingResponse.Builder reply = ProcessingResponse.newBuilder();
    switch (r.getRequestCase()) {
      case REQUEST_HEADERS ->
          reply.setRequestHeaders(HeadersResponse.newBuilder().setResponse(none));
      case REQUEST_BODY -> reply.setRequestBody(BodyResponse.newBuilder().setResponse(none));
      case RESPONSE_HEADERS ->
          reply.setResponseHeaders(HeadersResponse.newBuilder().setResponse(none));
      case RESPONSE_BODY -> reply.setResponseBody(BodyResponse.newBuilder().setResponse(none));
      default -> throw new IllegalStateException("unexpected " + r.getRequestCase());
    }
    return List.of(reply.build());
  }

  @SuppressWarnings("deprecation") // append: the only flag ext_proc reads
  private static HeaderMutation set(String name, String value) {
    return HeaderMutation.newBuilder()
        .addSetHeaders(
            HeaderValueOption.newBuilder()
                .setHeader(
                    HeaderValue.newBuilder()
                        .setKey(name)
                        .setRawValue(ByteString.copyFromUtf8(value))))
        .build();
  }

  private static ProcessingResponse streamResponses(ProcessingRequest r) {
    return ProcessingResponse.newBuilder()
        .setResponseHeaders(HeadersResponse.getDefaultInstance())
        .setModeOverride(
            ProcessingMode.newBuilder().setResponseBodyMode(BodySendMode.STREAMED).build())
        .build();
  }

  private static Map<String, List<String>> request(String model, byte[] body) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put(":method", new ArrayList<>(List.of("POST")));
    h.put(":path", new ArrayList<>(List.of("/v1/chat/completions")));
    h.put(":scheme", new ArrayList<>(List.of("http")));
    h.put(":authority", new ArrayList<>(List.of("test:8801")));
    h.put("content-type", new ArrayList<>(List.of("application/json")));
    h.put("content-length", new ArrayList<>(List.of(Integer.toString(body.length))));
    h.put("x-client-model", new ArrayList<>(List.of(model)));
    FilterWalk.addConnectionManagerHeaders(h);
    return h;
  }

  @Test
  void aModeOverrideOnResponseHeadersStreamsTheAnswerChunkByChunk() throws Exception {
    FilterWalk<String> walk =
        walkWith(
            r -> r.hasResponseHeaders() ? List.of(streamResponses(r)) : passThrough(r),
            true,
            1 << 20);
    Answer answer = new Answer();
    Walked<String> walked = walk.walk(request("m1", bytes(CHAT)), bytes(CHAT), answer);

    assertThat(answer.status).isEqualTo(200);
    assertThat(answer.length).as("streamed: no length").isEqualTo(-1);
    assertThat(answer.text()).contains("data: [DONE]");
    long bodyMessages =
        walked.trace().stream()
            .filter(s -> s.message().getRequestCase() == RequestCase.RESPONSE_BODY)
            .count();
    assertThat(bodyMessages).as("one message per chunk plus the end").isGreaterThan(1);
    MessageReply last = walked.trace().get(walked.trace().size() - 1);
    assertThat(last.message().getResponseBody().getEndOfStream()).isTrue();
    assertThat(last.message().getResponseBody().getBody().isEmpty()).isTrue();
    assertThat(walked.streamProblem()).isNull();
  }

  @Test
  void aModeOverrideIsIgnoredWhenTheFilterDoesNotAllowIt() throws Exception {
    FilterWalk<String> walk =
        walkWith(
            r -> r.hasResponseHeaders() ? List.of(streamResponses(r)) : passThrough(r),
            false,
            1 << 20);
    Answer answer = new Answer();
    Walked<String> walked = walk.walk(request("m1", bytes(CHAT)), bytes(CHAT), answer);

    assertThat(answer.chunks).as("BUFFERED: one piece").hasSize(1);
    assertThat(answer.length).isEqualTo(answer.chunks.get(0).length);
    assertThat(walked.trace())
        .filteredOn(s -> s.message().getRequestCase() == RequestCase.RESPONSE_BODY)
        .hasSize(1);
  }

  @Test
  void clearRouteCacheWithAHeaderMutationReMatchesTheRoute() throws Exception {
    FilterWalk<String> walk =
        walkWith(
            r ->
                r.hasRequestBody()
                    ? List.of(
                        ProcessingResponse.newBuilder()
                            .setRequestBody(
                                BodyResponse.newBuilder()
                                    .setResponse(
                                        CommonResponse.newBuilder()
                                            .setHeaderMutation(set("x-selected-model", "m2"))
                                            .setClearRouteCache(true)))
                            .build())
                    : passThrough(r),
            true,
            1 << 20);
    Walked<String> walked = walk.walk(request("m1", bytes(CHAT)), bytes(CHAT), new Answer());

    assertThat(walked.forwarded().route()).isEqualTo("m2");
    assertThat(walked.forwarded().header("x-selected-model")).isEqualTo("m2");
  }

  @Test
  void continueAndReplaceOnRequestHeadersSendsNoBodyMessage() throws Exception {
    byte[] replaced = bytes(CHAT.replace("\"m1\"", "\"m2\""));
    FilterWalk<String> walk =
        walkWith(
            r ->
                r.hasRequestHeaders()
                    ? List.of(
                        ProcessingResponse.newBuilder()
                            .setRequestHeaders(
                                HeadersResponse.newBuilder()
                                    .setResponse(
                                        CommonResponse.newBuilder()
                                            .setStatus(
                                                CommonResponse.ResponseStatus.CONTINUE_AND_REPLACE)
                                            .setHeaderMutation(
                                                set("content-length", "" + replaced.length))
                                            .setBodyMutation(
                                                BodyMutation.newBuilder()
                                                    .setBody(ByteString.copyFrom(replaced)))))
                            .build())
                    : passThrough(r),
            true,
            1 << 20);
    Walked<String> walked = walk.walk(request("m1", bytes(CHAT)), bytes(CHAT), new Answer());

    assertThat(walked.forwarded().body()).isEqualTo(replaced);
    assertThat(walked.trace())
        .extracting(s -> s.message().getRequestCase())
        .doesNotContain(RequestCase.REQUEST_BODY);
  }

  @Test
  void aBodyOverTheBufferLimitIsAnswered413WithoutReachingTheProcessor() throws Exception {
    FilterWalk<String> walk = walkWith(FilterWalkTest::passThrough, true, 16);
    Answer answer = new Answer();
    Walked<String> walked = walk.walk(request("m1", bytes(CHAT)), bytes(CHAT), answer);

    assertThat(answer.status).isEqualTo(413);
    assertThat(answer.text()).isEqualTo("Payload Too Large");
    assertThat(walked.localReply()).isTrue();
    assertThat(walked.trace())
        .extracting(s -> s.message().getRequestCase())
        .containsExactly(RequestCase.REQUEST_HEADERS);
    assertThat(backend.served()).isZero();
  }

  @Test
  void noRouteIsEnvoysOwn404() throws Exception {
    FilterWalk<String> walk = walkWith(FilterWalkTest::passThrough, true, 1 << 20);
    Answer answer = new Answer();
    Walked<String> walked = walk.walk(request("none", bytes(CHAT)), bytes(CHAT), answer);

    assertThat(answer.status).isEqualTo(404);
    assertThat(walked.localReply()).isTrue();
    assertThat(walked.immediate()).isNull();
    assertThat(backend.served()).isZero();
  }

  @Test
  void anImmediateResponseEndsTheRequestWithItsHeadersAndLength() throws Exception {
    byte[] json = bytes("{\"error\":{\"message\":\"no\"}}");
    FilterWalk<String> walk =
        walkWith(
            r ->
                r.hasRequestBody()
                    ? List.of(
                        ProcessingResponse.newBuilder()
                            .setImmediateResponse(
                                ImmediateResponse.newBuilder()
                                    .setStatus(HttpStatus.newBuilder().setCodeValue(403))
                                    .setHeaders(set("content-type", "application/json"))
                                    .setBody(ByteString.copyFrom(json)))
                            .build())
                    : passThrough(r),
            true,
            1 << 20);
    Answer answer = new Answer();
    Walked<String> walked = walk.walk(request("m1", bytes(CHAT)), bytes(CHAT), answer);

    assertThat(answer.status).isEqualTo(403);
    assertThat(answer.headers.get("content-type")).containsExactly("application/json");
    assertThat(answer.headers.get("content-length")).containsExactly("" + json.length);
    assertThat(walked.immediate()).isNotNull();
    assertThat(walked.streamProblem()).isNull();
    assertThat(backend.served()).isZero();
  }

  @Test
  void anImmediateResponseOnTheResponsePathIsSpurious() throws Exception {
    FilterWalk<String> walk =
        walkWith(
            r ->
                r.hasResponseHeaders()
                    ? List.of(
                        ProcessingResponse.newBuilder()
                            .setImmediateResponse(ImmediateResponse.getDefaultInstance())
                            .build())
                    : passThrough(r),
            true,
            1 << 20);
    assertThatThrownBy(() -> walk.walk(request("m1", bytes(CHAT)), bytes(CHAT), new Answer()))
        .isInstanceOf(FilterFailure.class)
        .hasMessageContaining("spurious reply IMMEDIATE_RESPONSE to RESPONSE_HEADERS")
        .extracting(e -> ((FilterFailure) e).status())
        .isEqualTo(500);
  }

  @Test
  void aRefusedMutationFailsTheRequest() throws Exception {
    HeaderMutation both =
        HeaderMutation.newBuilder()
            .addSetHeaders(
                HeaderValueOption.newBuilder()
                    .setHeader(
                        HeaderValue.newBuilder()
                            .setKey("x-a")
                            .setValue("1")
                            .setRawValue(ByteString.copyFromUtf8("1"))))
            .build();
    FilterWalk<String> walk =
        walkWith(
            r ->
                r.hasRequestHeaders()
                    ? List.of(
                        ProcessingResponse.newBuilder()
                            .setRequestHeaders(
                                HeadersResponse.newBuilder()
                                    .setResponse(
                                        CommonResponse.newBuilder().setHeaderMutation(both)))
                            .build())
                    : passThrough(r),
            true,
            1 << 20);
    assertThatThrownBy(() -> walk.walk(request("m1", bytes(CHAT)), bytes(CHAT), new Answer()))
        .isInstanceOf(FilterFailure.class)
        .hasMessageContaining("sets both value and raw_value");
    assertThat(backend.served()).isZero();
  }

  /** What the client received. */
  private static final class Answer implements Downstream {
    int status;
    long length;
    Map<String, List<String>> headers;
    final List<byte[]> chunks = new ArrayList<>();

    @Override
    public void head(int status, Map<String, List<String>> headers, long length) {
      this.status = status;
      this.headers = headers;
      this.length = length;
    }

    @Override
    public void body(byte[] chunk) {
      chunks.add(chunk);
    }

    String text() {
      StringBuilder sb = new StringBuilder();
      chunks.forEach(c -> sb.append(new String(c, StandardCharsets.UTF_8)));
      return sb.toString();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}

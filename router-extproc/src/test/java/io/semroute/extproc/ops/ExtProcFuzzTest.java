package io.semroute.extproc.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpTrailers;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.TestConfigs;
import io.semroute.extproc.pipeline.DecisionLogStage;
import io.semroute.extproc.pipeline.RouterSnapshots;
import io.semroute.extproc.server.RouterServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.slf4j.LoggerFactory;

/**
 * Fuzzing of the ext_proc service over a real gRPC socket, with jqwik: a keyword-only router is
 * started once; each try drives one stream with hostile input drawn from {@link HostileInputs} and
 * checks the protocol contract:
 *
 * <ul>
 *   <li>every message gets exactly one reply of its own type (an ImmediateResponse is allowed on
 *       the request path), or the stream ends with a clean gRPC status (not UNKNOWN/INTERNAL);
 *   <li>no hostile body or header set gets a 5xx ImmediateResponse (the one 5xx the router sends on
 *       purpose, a request body that is not BUFFERED, is a misconfigured Envoy and only happens in
 *       the message-order property, where it is checked by name);
 *   <li>after every try the server still routes a valid request correctly.
 * </ul>
 *
 * <p>Tries per property: {@code jqwik.tries.default} (200 in junit-platform.properties); raise it
 * with {@code -Djqwik.tries.default=5000}. A failure prints the seed to replay
 * ({@code @Property(seed = "...")}). The count of inputs tried is printed at the end.
 */
class ExtProcFuzzTest {
  private static final Set<String> ROUTED_PATHS = Set.of("/v1/chat/completions", "/v1/completions");
  private static final AtomicLong INPUTS = new AtomicLong();
  private static final AtomicLong MESSAGES = new AtomicLong();
  private static final AtomicLong BYTES = new AtomicLong();
  private static final AtomicLong VALID_CHECKS = new AtomicLong();

  private static RouterServer router;
  private static ManagedChannel channel;
  private static Level decisionLogLevel;

  @BeforeContainer
  static void startRouter() throws Exception {
    // Thousands of decision log lines (some with megabytes of header values) would bury the report.
    Logger decisionLog = (Logger) LoggerFactory.getLogger(DecisionLogStage.LOGGER);
    decisionLogLevel = decisionLog.getLevel();
    decisionLog.setLevel(Level.WARN);
    RouterConfig cfg = TestConfigs.sample();
    router =
        RouterServer.start(
            new InetSocketAddress("127.0.0.1", 0),
            RouterSnapshots.keywordOnly(cfg),
            ThreadLocalRandom::current,
            r -> {});
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", router.grpcPort())
            .usePlaintext()
            .maxInboundMessageSize(RouterServer.MAX_INBOUND_MESSAGE_BYTES * 2)
            .build();
  }

  @AfterContainer
  static void stopRouter() throws Exception {
    System.out.printf(
        "ext_proc fuzz: %d inputs tried (%d ext_proc messages, %.1f MiB of bodies), "
            + "%d valid requests routed correctly in between%n",
        INPUTS.get(), MESSAGES.get(), BYTES.get() / 1048576.0, VALID_CHECKS.get());
    if (channel != null) {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    if (router != null) {
      router.close();
    }
    ((Logger) LoggerFactory.getLogger(DecisionLogStage.LOGGER)).setLevel(decisionLogLevel);
  }

  /**
   * A routed request with a hostile body and random headers, then (if forwarded) a hostile
   * response.
   */
  @Property
  void hostileBodiesAndHeadersGetOneReplyEachAndNo5xx(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    INPUTS.incrementAndGet();
    HostileInputs.Body body = HostileInputs.body(r);
    String path =
        HostileInputs.pick(
            r, "/v1/chat/completions", "/v1/completions", "/v1/chat/completions?x=1");
    HeaderMap headers = HostileInputs.headers(r, "POST", path);
    List<ProcessingRequest> messages = new ArrayList<>();
    messages.add(
        ProcessingRequest.newBuilder()
            .setRequestHeaders(HttpHeaders.newBuilder().setHeaders(headers))
            .build());
    messages.add(
        ProcessingRequest.newBuilder()
            .setRequestBody(
                HttpBody.newBuilder()
                    .setBody(ByteString.copyFrom(body.bytes()))
                    .setEndOfStream(true))
            .build());
    RawExtProcStream stream = new RawExtProcStream(channel);
    boolean forwarded = true;
    for (ProcessingRequest m : messages) {
      ProcessingResponse reply = exchange(stream, m, body);
      if (reply == null) {
        return; // ended with a clean status
      }
      if (reply.hasImmediateResponse()) {
        forwarded = false;
        break;
      }
    }
    if (forwarded) {
      boolean sse = r.nextBoolean();
      exchange(stream, response(sse ? "text/event-stream" : "application/json", r), body);
      int chunks = sse ? 1 + r.nextInt(50) : 1;
      for (int i = 0; i < chunks; i++) {
        HostileInputs.Body answer =
            r.nextBoolean()
                ? HostileInputs.body(r)
                : new HostileInputs.Body(
                    "sse", ("data: " + HostileInputs.randomJson(r, 0) + "\n\n").getBytes());
        exchange(
            stream,
            ProcessingRequest.newBuilder()
                .setResponseBody(
                    HttpBody.newBuilder()
                        .setBody(ByteString.copyFrom(answer.bytes()))
                        .setEndOfStream(i == chunks - 1))
                .build(),
            answer);
      }
    }
    assertCleanEnd(stream.complete(), body);
    assertStillRoutes();
  }

  /**
   * 1 to 40 messages of random types in random order (now and then a stream of 1,000-3,000
   * messages), all sent before reading: one reply each, in order, of the matching type.
   */
  @Property
  void messagesInAnyOrderGetOneReplyEach(@ForAll long seed) throws Exception {
    Random r = new Random(seed);
    INPUTS.incrementAndGet();
    int n = r.nextInt(25) == 0 ? 1000 + r.nextInt(2000) : 1 + r.nextInt(40);
    List<ProcessingRequest> messages = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      messages.add(randomMessage(r));
    }
    RawExtProcStream stream = new RawExtProcStream(channel);
    messages.forEach(stream::post);
    MESSAGES.addAndGet(n);
    boolean routed = false;
    for (ProcessingRequest m : messages) {
      if (m.hasRequestHeaders()) {
        routed = isRouted(m.getRequestHeaders().getHeaders());
      }
      Object reply = stream.inbox.poll(60, TimeUnit.SECONDS);
      if (!(reply instanceof ProcessingResponse pr)) {
        assertCleanStatus(reply, m);
        return;
      }
      assertReplyType(m, pr);
      if (pr.hasImmediateResponse()) {
        int status = pr.getImmediateResponse().getStatus().getCodeValue();
        boolean chunkedBody = routed && m.hasRequestBody() && !m.getRequestBody().getEndOfStream();
        if (chunkedBody) {
          assertThat(pr.getImmediateResponse().getDetails()).contains("not buffered");
        } else {
          assertThat(status).as("status answering %s", m).isLessThan(500);
        }
      }
    }
    if (r.nextInt(4) == 0) {
      stream.cancel();
    } else {
      assertCleanEnd(stream.complete(), messages);
    }
    assertStillRoutes();
  }

  private static ProcessingRequest randomMessage(Random r) {
    ProcessingRequest.Builder b = ProcessingRequest.newBuilder();
    switch (r.nextInt(6)) {
      case 0 -> {
        String method = HostileInputs.pick(r, "POST", "POST", "GET", "PUT", "", null);
        String path =
            HostileInputs.pick(
                r,
                "/v1/chat/completions",
                "/v1/completions",
                "/v1/models",
                "/",
                "",
                "/v1/chat/completions/../models",
                null);
        b.setRequestHeaders(
            HttpHeaders.newBuilder()
                .setHeaders(HostileInputs.headers(r, method, path))
                .setEndOfStream(r.nextInt(8) == 0));
      }
      case 1 ->
          b.setRequestBody(
              HttpBody.newBuilder()
                  .setBody(ByteString.copyFrom(smallBody(r)))
                  .setEndOfStream(r.nextInt(5) != 0));
      case 2 ->
          b.setRequestTrailers(
              HttpTrailers.newBuilder().setTrailers(HostileInputs.headers(r, null, null)));
      case 3 ->
          b.setResponseHeaders(
              HttpHeaders.newBuilder()
                  .setHeaders(responseHeaders(r))
                  .setEndOfStream(r.nextInt(8) == 0));
      case 4 ->
          b.setResponseBody(
              HttpBody.newBuilder()
                  .setBody(ByteString.copyFrom(smallBody(r)))
                  .setEndOfStream(r.nextBoolean()));
      default ->
          b.setResponseTrailers(
              HttpTrailers.newBuilder().setTrailers(HostileInputs.headers(r, null, null)));
    }
    return b.build();
  }

  private static byte[] smallBody(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> HostileInputs.chat(r).getBytes(StandardCharsets.UTF_8);
      case 1 -> HostileInputs.wrongType(r).getBytes(StandardCharsets.UTF_8);
      case 2 -> HostileInputs.randomBytes(r, r.nextInt(300));
      default ->
          ("data: " + HostileInputs.randomJson(r, 0) + "\n\n").getBytes(StandardCharsets.UTF_8);
    };
  }

  private static HeaderMap responseHeaders(Random r) {
    HeaderMap.Builder h = HostileInputs.headers(r, null, null).toBuilder();
    if (r.nextInt(4) != 0) {
      h.addHeaders(
          HostileInputs.header(
              ":status",
              HostileInputs.pick(r, "200", "200", "500", "429", "abc", "", "99999999999")));
    }
    if (r.nextBoolean()) {
      h.addHeaders(
          HostileInputs.header(
              "content-type",
              HostileInputs.pick(
                  r,
                  "text/event-stream",
                  "application/json",
                  "TEXT/EVENT-STREAM; charset=utf-8",
                  "")));
    }
    return h.build();
  }

  private static ProcessingRequest response(String contentType, Random r) {
    HeaderMap.Builder h =
        HeaderMap.newBuilder()
            .addHeaders(
                HostileInputs.header(
                    ":status", HostileInputs.pick(r, "200", "200", "400", "500", "x")))
            .addHeaders(HostileInputs.header("content-type", contentType));
    h.addAllHeaders(HostileInputs.headers(r, null, null).getHeadersList());
    return ProcessingRequest.newBuilder()
        .setResponseHeaders(HttpHeaders.newBuilder().setHeaders(h))
        .build();
  }

  private static boolean isRouted(HeaderMap headers) {
    String method = null;
    String path = null;
    for (var h : headers.getHeadersList()) {
      String v = h.getRawValue().isEmpty() ? h.getValue() : h.getRawValue().toStringUtf8();
      if (h.getKey().equals(":method") && method == null) {
        method = v;
      } else if (h.getKey().equals(":path") && path == null) {
        path = v;
      }
    }
    return "POST".equals(method) && path != null && ROUTED_PATHS.contains(path.split("\\?", 2)[0]);
  }

  /** Sends one message and checks its one reply; null when the stream ended with a clean status. */
  private static ProcessingResponse exchange(
      RawExtProcStream stream, ProcessingRequest m, Object input) throws InterruptedException {
    MESSAGES.incrementAndGet();
    BYTES.addAndGet(m.getSerializedSize());
    stream.post(m);
    Object reply = stream.inbox.poll(60, TimeUnit.SECONDS);
    if (!(reply instanceof ProcessingResponse pr)) {
      assertCleanStatus(reply, input);
      return null;
    }
    assertReplyType(m, pr);
    if (pr.hasImmediateResponse()) {
      assertThat(pr.getImmediateResponse().getStatus().getCodeValue())
          .as(
              "ImmediateResponse to %s: %s",
              input, pr.getImmediateResponse().getBody().toStringUtf8())
          .isBetween(200, 499);
    }
    return pr;
  }

  private static void assertReplyType(ProcessingRequest m, ProcessingResponse reply) {
    String expected = m.getRequestCase().name();
    String got = reply.getResponseCase().name();
    boolean requestPath = m.hasRequestHeaders() || m.hasRequestBody();
    if (!(requestPath && reply.hasImmediateResponse())) {
      assertThat(got).as("reply to %s", expected).isEqualTo(expected);
    }
    assertThat(stream(reply)).isTrue();
  }

  private static boolean stream(ProcessingResponse reply) {
    return reply.getResponseCase() != ProcessingResponse.ResponseCase.RESPONSE_NOT_SET;
  }

  private static void assertCleanStatus(Object ended, Object input) {
    assertThat(ended).as("stream end after %s", input).isInstanceOf(StatusRuntimeException.class);
    Status.Code code = ((StatusRuntimeException) ended).getStatus().getCode();
    assertThat(code)
        .as("status after %s", input)
        .isNotIn(Status.Code.UNKNOWN, Status.Code.INTERNAL);
  }

  private static void assertCleanEnd(Object end, Object input) {
    if (end != RawExtProcStream.COMPLETED) {
      assertCleanStatus(end, input);
    }
  }

  /** The server still routes a valid request: a math keyword goes to qwen with reasoning on. */
  private static void assertStillRoutes() throws InterruptedException {
    RawExtProcStream s = new RawExtProcStream(channel);
    s.send(RawExtProcStream.requestHeaders("POST", "/v1/chat/completions"));
    ProcessingResponse reply =
        s.send(
            RawExtProcStream.requestBody(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"What is the derivative of x^3?\"}]}"));
    assertThat(RawExtProcStream.setHeader(reply, "x-selected-model")).isEqualTo(TestConfigs.QWEN);
    assertThat(s.complete()).isSameAs(RawExtProcStream.COMPLETED);
    VALID_CHECKS.incrementAndGet();
  }
}

package io.semroute.app.bench;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse.ResponseCase;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.semroute.extproc.envoy.PeerMutations;
import io.semroute.extproc.envoy.RoutingHeaders;
import io.semroute.gateway.ExtProcStream;
import io.semroute.gateway.GatewayFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envoy's side of ext_proc for one POST /v1/chat/completions at a time, over a real gRPC channel:
 * request headers, request body, then (instead of a real upstream) a canned OpenAI chat completion
 * as response headers and response body, each message waiting for its one reply of the matching
 * type within the message timeout. Which messages are sent is decided by the processing mode
 * (deploy/envoy/envoy.yaml's: headers SEND, bodies BUFFERED both ways). Header and body mutations
 * are applied with Envoy's rules ({@link PeerMutations}), so the canned answer names the model the
 * router chose and a body replaced without a matching {@code content-length} fails as in Envoy.
 *
 * <p>Thread-safe: any number of callers share one HTTP/2 channel, one stream per request.
 */
final class ExtProcClient implements AutoCloseable {

  /** What one request came to. */
  record Outcome(int status, boolean answeredByRouter, String model, String error) {
    boolean ok() {
      return error == null && status == 200;
    }
  }

  private static final String CANNED_ANSWER =
      "Here is a short answer from the benchmark's stand-in for the model.";

  private final ManagedChannel channel;
  private final ExternalProcessorGrpc.ExternalProcessorStub stub;
  private final ProcessingMode mode;
  private final long timeoutMillis;
  private final AtomicLong ids = new AtomicLong();

  ExtProcClient(String host, int port, ProcessingMode mode, Duration messageTimeout) {
    if (mode.getRequestBodyMode() != BodySendMode.BUFFERED
        && mode.getRequestBodyMode() != BodySendMode.NONE) {
      throw new IllegalArgumentException("the benchmark client sends request bodies BUFFERED only");
    }
    this.channel =
        NettyChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    this.stub = ExternalProcessorGrpc.newStub(channel);
    this.mode = mode;
    this.timeoutMillis = messageTimeout.toMillis();
  }

  /**
   * Plays one request. Never throws for what the router does: a gRPC error, a timeout, a reply of
   * the wrong type or a refused mutation come back as an outcome with {@code error} set.
   */
  Outcome send(byte[] requestJson, String requestedModel) throws InterruptedException {
    Stream stream = new Stream();
    try {
      return stream.play(requestJson, requestedModel);
    } catch (Failure | PeerMutations.RefusedMutation e) {
      stream.cancel(e.getMessage());
      return new Outcome(0, false, null, e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      // Every request has ended by now: nothing in flight to wait for beyond the transport.
      if (!channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the benchmark's gRPC channel did not terminate in 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What Envoy would fail the request for (status_on_error). */
  private static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message, null, false, false);
    }
  }

  /** One ext_proc stream: one HTTP request (the gateway's stream, so both play Envoy alike). */
  private final class Stream {
    private final ExtProcStream stream = new ExtProcStream(stub, Duration.ofMillis(timeoutMillis));
    private boolean finished;

    Outcome play(byte[] body, String requestedModel) throws InterruptedException {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      header(headers, ":method", "POST");
      header(headers, ":path", "/v1/chat/completions");
      header(headers, ":scheme", "http");
      header(headers, ":authority", "bench.local:8801");
      header(headers, "content-type", "application/json");
      header(headers, "content-length", Integer.toString(body.length));
      header(headers, "x-request-id", UUID.randomUUID().toString());
      header(headers, "x-forwarded-proto", "http");

      if (mode.getRequestHeaderMode() != HeaderSendMode.SKIP) {
        ProcessingResponse reply =
            exchange(
                ProcessingRequest.newBuilder()
                    .setRequestHeaders(
                        HttpHeaders.newBuilder()
                            .setHeaders(PeerMutations.headerMap(headers))
                            .setEndOfStream(body.length == 0))
                    .build(),
                EnumSet.of(ResponseCase.REQUEST_HEADERS, ResponseCase.IMMEDIATE_RESPONSE));
        if (reply != null) {
          if (reply.hasImmediateResponse()) {
            return immediate(reply.getImmediateResponse());
          }
          body = apply(reply.getRequestHeaders().getResponse(), headers, body);
        }
      }
      if (mode.getRequestBodyMode() == BodySendMode.BUFFERED
          && body.length > 0
          && !stream.routerGone()) {
        ProcessingResponse reply =
            exchange(
                ProcessingRequest.newBuilder()
                    .setRequestBody(
                        HttpBody.newBuilder()
                            .setBody(ByteString.copyFrom(body))
                            .setEndOfStream(true))
                    .build(),
                EnumSet.of(ResponseCase.REQUEST_BODY, ResponseCase.IMMEDIATE_RESPONSE));
        if (reply != null) {
          if (reply.hasImmediateResponse()) {
            return immediate(reply.getImmediateResponse());
          }
          byte[] before = body;
          body = apply(reply.getRequestBody().getResponse(), headers, body);
          List<String> length = headers.get("content-length");
          if (body != before
              && length != null
              && !length.get(0).equals(Integer.toString(body.length))) {
            throw new Failure(
                "content-length "
                    + length.get(0)
                    + " does not match the mutated body ("
                    + body.length
                    + " bytes): Envoy fails such a request");
          }
        }
      }

      // The upstream: a canned chat completion from the model the route now names.
      List<String> selected = headers.get(RoutingHeaders.SELECTED_MODEL);
      String model = selected == null || selected.isEmpty() ? requestedModel : selected.get(0);
      byte[] answer = completion(model, body.length);
      Map<String, List<String>> response = new LinkedHashMap<>();
      header(response, ":status", "200");
      header(response, "content-type", "application/json");
      header(response, "content-length", Integer.toString(answer.length));
      if (mode.getResponseHeaderMode() != HeaderSendMode.SKIP && !stream.routerGone()) {
        ProcessingResponse reply =
            exchange(
                ProcessingRequest.newBuilder()
                    .setResponseHeaders(
                        HttpHeaders.newBuilder().setHeaders(PeerMutations.headerMap(response)))
                    .build(),
                EnumSet.of(ResponseCase.RESPONSE_HEADERS));
        if (reply != null && reply.getResponseHeaders().getResponse().hasHeaderMutation()) {
          PeerMutations.applyHeaders(
              reply.getResponseHeaders().getResponse().getHeaderMutation(), response);
        }
      }
      if (mode.getResponseBodyMode() != BodySendMode.NONE && !stream.routerGone()) {
        exchange(
            ProcessingRequest.newBuilder()
                .setResponseBody(
                    HttpBody.newBuilder().setBody(ByteString.copyFrom(answer)).setEndOfStream(true))
                .build(),
            EnumSet.of(ResponseCase.RESPONSE_BODY));
      }
      finish();
      return new Outcome(200, false, model, null);
    }

    private byte[] apply(CommonResponse common, Map<String, List<String>> headers, byte[] body) {
      if (common.hasHeaderMutation()) {
        PeerMutations.applyHeaders(common.getHeaderMutation(), headers);
      }
      return common.hasBodyMutation()
          ? PeerMutations.applyBody(body, common.getBodyMutation())
          : body;
    }

    private Outcome immediate(ImmediateResponse r) throws InterruptedException {
      int status =
          r.hasStatus() && r.getStatus().getCodeValue() > 0 ? r.getStatus().getCodeValue() : 200;
      finish();
      return new Outcome(
          status,
          true,
          null,
          status == 200 ? null : "immediate response " + status + ": " + r.getDetails());
    }

    /** Sends one message and waits for its reply; null when the router ended the stream cleanly. */
    private ProcessingResponse exchange(ProcessingRequest message, EnumSet<ResponseCase> allowed)
        throws InterruptedException {
      try {
        return stream.exchange(message, allowed);
      } catch (GatewayFailure f) {
        throw new Failure(f.getMessage());
      }
    }

    /**
     * Half-closes, and waits (bounded) for the router to end the stream; anything else fails the
     * request.
     */
    private void finish() throws InterruptedException {
      if (finished) {
        return;
      }
      finished = true;
      String problem = stream.finish();
      if (problem != null) {
        throw new Failure(problem);
      }
    }

    void cancel(String why) {
      if (!finished) {
        finished = true;
        stream.cancel(why);
      }
    }
  }

  private byte[] completion(String model, int promptBytes) {
    int promptTokens = Math.max(1, promptBytes / 4);
    int completionTokens = 14;
    String json =
        "{\"id\":\"chatcmpl-bench-"
            + ids.incrementAndGet()
            + "\",\"object\":\"chat.completion\","
            + "\"created\":"
            + (System.currentTimeMillis() / 1000)
            + ",\"model\":\""
            + model.replace("\"", "")
            + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
            + CANNED_ANSWER
            + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
            + promptTokens
            + ",\"completion_tokens\":"
            + completionTokens
            + ",\"total_tokens\":"
            + (promptTokens + completionTokens)
            + "}}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static void header(Map<String, List<String>> headers, String name, String value) {
    headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }
}

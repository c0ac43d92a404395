package io.semroute.extproc.ops;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One ext_proc stream driven message by message, so a test can hold it open at any point (across a
 * reload, across a shutdown). Every message must get exactly one reply.
 */
final class RawExtProcStream {
  static final Object COMPLETED = new Object();
  final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private final StreamObserver<ProcessingRequest> out;

  RawExtProcStream(Channel channel) {
    out =
        ExternalProcessorGrpc.newStub(channel)
            .process(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ProcessingResponse r) {
                    inbox.add(r);
                  }

                  @Override
                  public void onError(Throwable t) {
                    inbox.add(t);
                  }

                  @Override
                  public void onCompleted() {
                    inbox.add(COMPLETED);
                  }
                });
  }

  ProcessingResponse send(ProcessingRequest message) throws InterruptedException {
    out.onNext(message);
    Object reply = inbox.poll(60, TimeUnit.SECONDS);
    if (reply instanceof ProcessingResponse r) {
      return r;
    }
    throw new AssertionError("expected a reply to " + message.getRequestCase() + ", got " + reply);
  }

  /** Sends without waiting for the reply (it lands in {@link #inbox}). */
  void post(ProcessingRequest message) {
    out.onNext(message);
  }

  /** Cancels the stream from the client side, as Envoy does when its client goes away. */
  void cancel() {
    out.onError(Status.CANCELLED.withDescription("client went away").asRuntimeException());
  }

  /** Half-closes and waits for the router to close its side. */
  Object complete() throws InterruptedException {
    out.onCompleted();
    return inbox.poll(60, TimeUnit.SECONDS);
  }

  static ProcessingRequest requestHeaders(String method, String path) {
    return ProcessingRequest.newBuilder()
        .setRequestHeaders(
            HttpHeaders.newBuilder()
                .setHeaders(
                    headers(
                        Map.of(
                            ":method",
                            method,
                            ":path",
                            path,
                            "content-type",
                            "application/json",
                            "x-request-id",
                            "raw-" + System.nanoTime()))))
        .build();
  }

  static ProcessingRequest requestBody(String json) {
    return ProcessingRequest.newBuilder()
        .setRequestBody(
            HttpBody.newBuilder().setBody(ByteString.copyFromUtf8(json)).setEndOfStream(true))
        .build();
  }

  static ProcessingRequest responseHeaders(int status, String contentType) {
    return ProcessingRequest.newBuilder()
        .setResponseHeaders(
            HttpHeaders.newBuilder()
                .setHeaders(
                    headers(
                        Map.of(":status", Integer.toString(status), "content-type", contentType))))
        .build();
  }

  static ProcessingRequest responseBody(String body) {
    return ProcessingRequest.newBuilder()
        .setResponseBody(
            HttpBody.newBuilder().setBody(ByteString.copyFromUtf8(body)).setEndOfStream(true))
        .build();
  }

  private static HeaderMap headers(Map<String, String> h) {
    HeaderMap.Builder b = HeaderMap.newBuilder();
    h.forEach(
        (k, v) ->
            b.addHeaders(
                HeaderValue.newBuilder()
                    .setKey(k)
                    .setRawValue(ByteString.copyFrom(v, StandardCharsets.UTF_8))));
    return b.build();
  }

  /** The value the request_body reply sets for {@code name}, or null. */
  static String setHeader(ProcessingResponse bodyReply, String name) {
    for (HeaderValueOption o :
        bodyReply.getRequestBody().getResponse().getHeaderMutation().getSetHeadersList()) {
      if (o.getHeader().getKey().equalsIgnoreCase(name)) {
        HeaderValue h = o.getHeader();
        return h.getRawValue().isEmpty()
            ? h.getValue()
            : h.getRawValue().toString(StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}

package io.semroute.extproc;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpTrailers;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ext_proc messages Envoy sends for one HTTP request, built in code for unit tests that talk to
 * the service or a processor without a socket, and a {@link FakeEnvoy fake stream observer} that
 * keeps what the router answered.
 */
public final class ExtProcMessages {
  private ExtProcMessages() {}

  public static HttpHeaders requestHeaders(String method, String path, String... extra) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(":method", method);
    h.put(":path", path);
    h.put("content-type", "application/json");
    h.put("x-request-id", "unit-" + System.nanoTime());
    for (int i = 0; i + 1 < extra.length; i += 2) {
      h.put(extra[i], extra[i + 1]);
    }
    return HttpHeaders.newBuilder().setHeaders(headers(h)).build();
  }

  /** Request headers of a request without a body ({@code end_of_stream} on the headers). */
  public static HttpHeaders requestHeadersOnly(String method, String path) {
    return requestHeaders(method, path).toBuilder().setEndOfStream(true).build();
  }

  public static HttpBody body(String text, boolean endOfStream) {
    return HttpBody.newBuilder()
        .setBody(ByteString.copyFromUtf8(text))
        .setEndOfStream(endOfStream)
        .build();
  }

  public static HttpHeaders responseHeaders(int status, String contentType) {
    return HttpHeaders.newBuilder()
        .setHeaders(
            headers(Map.of(":status", Integer.toString(status), "content-type", contentType)))
        .build();
  }

  public static ProcessingRequest of(HttpHeaders requestHeaders) {
    return ProcessingRequest.newBuilder().setRequestHeaders(requestHeaders).build();
  }

  public static ProcessingRequest ofRequestBody(HttpBody body) {
    return ProcessingRequest.newBuilder().setRequestBody(body).build();
  }

  public static ProcessingRequest ofResponseHeaders(HttpHeaders responseHeaders) {
    return ProcessingRequest.newBuilder().setResponseHeaders(responseHeaders).build();
  }

  public static ProcessingRequest ofResponseBody(HttpBody body) {
    return ProcessingRequest.newBuilder().setResponseBody(body).build();
  }

  public static ProcessingRequest requestTrailers() {
    return ProcessingRequest.newBuilder()
        .setRequestTrailers(HttpTrailers.getDefaultInstance())
        .build();
  }

  public static ProcessingRequest responseTrailers() {
    return ProcessingRequest.newBuilder()
        .setResponseTrailers(HttpTrailers.getDefaultInstance())
        .build();
  }

  /** The value a reply's header mutation sets for {@code name}, or null. */
  public static String setHeader(List<HeaderValueOption> set, String name) {
    for (HeaderValueOption o : set) {
      if (o.getHeader().getKey().equalsIgnoreCase(name)) {
        HeaderValue h = o.getHeader();
        return h.getRawValue().isEmpty()
            ? h.getValue()
            : h.getRawValue().toString(StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** The JSON body of an ImmediateResponse. */
  public static String immediateBody(ProcessingResponse reply) {
    return reply.getImmediateResponse().getBody().toStringUtf8();
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

  /** Envoy's side of a stream as the router sees it: what it was sent, and how the stream ended. */
  public static final class FakeEnvoy implements StreamObserver<ProcessingResponse> {
    public final List<ProcessingResponse> received = new ArrayList<>();
    public int completed;
    public Throwable error;

    @Override
    public void onNext(ProcessingResponse reply) {
      received.add(reply);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {
      completed++;
    }

    public ProcessingResponse last() {
      return received.get(received.size() - 1);
    }
  }
}

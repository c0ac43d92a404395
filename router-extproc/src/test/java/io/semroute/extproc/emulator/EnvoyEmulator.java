package io.semroute.extproc.emulator;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse.ResponseCase;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.semroute.extproc.envoy.PeerMutations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Plays Envoy's HTTP filter chain (ext_proc filter + router filter) against the real router over a
 * real gRPC stream, following ../shared/docs/envoy-ext-proc.md:
 *
 * <ul>
 *   <li>processing mode, {@code allow_mode_override}, {@code message_timeout}, buffer limit and
 *       route table come from deploy/envoy/envoy.yaml;
 *   <li>one stream per request; each message waits for exactly one reply, and the reply must be of
 *       the matching type (ImmediateResponse only on the request path) — anything else throws
 *       {@link ProtocolViolation}, as a "spurious" reply fails the request in Envoy;
 *   <li>header mutations honour {@code append} only, refuse {@code host}/{@code :authority}/ {@code
 *       :scheme}/{@code :method}/{@code x-envoy-*}, and reject setting both {@code value} and
 *       {@code raw_value};
 *   <li>the route is matched on the client's headers and cached; {@code clear_route_cache} re-
 *       matches only when the same reply carries a header mutation (otherwise ignored, as Envoy
 *       does);
 *   <li>a replaced BUFFERED body whose {@code content-length} was not updated in the same reply
 *       throws (Envoy fails such a request);
 *   <li>the upstream request goes to a real HTTP server (cluster endpoints resolved through a test
 *       "DNS" map), and response bodies go back through the router BUFFERED, or STREAMED chunk by
 *       chunk after a {@code mode_override}.
 * </ul>
 */
public final class EnvoyEmulator implements AutoCloseable {
  static {
    // Forward content-length as the router set it instead of letting HttpClient recompute it.
    if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
      System.setProperty("jdk.httpclient.allowRestrictedHeaders", "content-length");
    }
  }

  /** Headers java.net.http will not forward (or manages itself). */
  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "connection", "expect", "upgrade", "transfer-encoding", "te", "keep-alive");

  private static final Object COMPLETED = new Object();

  private final ExternalProcessor filter;
  private final RouteTable routes;
  private final long bufferLimitBytes;
  private final long messageTimeoutMillis;
  private final Map<String, InetSocketAddress> dns;
  private final ManagedChannel channel;
  private final ExternalProcessorGrpc.ExternalProcessorStub stub;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * @param envoy the parsed deploy/envoy/envoy.yaml
   * @param routerPort where the router's gRPC server listens on localhost
   * @param dns cluster endpoint {@code host:port} as written in envoy.yaml → real local address
   */
  public EnvoyEmulator(EnvoyConfig envoy, int routerPort, Map<String, InetSocketAddress> dns) {
    this.filter = envoy.extProc();
    this.routes = RouteTable.of(envoy);
    this.bufferLimitBytes =
        envoy.listener().getPerConnectionBufferLimitBytes().getValue() > 0
            ? envoy.listener().getPerConnectionBufferLimitBytes().getValue()
            : 1024 * 1024;
    Duration t =
        filter.hasMessageTimeout()
            ? filter.getMessageTimeout()
            : Duration.newBuilder().setNanos(200_000_000).build();
    this.messageTimeoutMillis = t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
    this.dns = Map.copyOf(dns);
    this.channel =
        NettyChannelBuilder.forAddress("127.0.0.1", routerPort)
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    this.stub = ExternalProcessorGrpc.newStub(channel);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Plays one client request through Envoy. */
  public Exchange send(ClientRequest request) throws IOException, InterruptedException {
    return new Flow(request).run();
  }

  /** The per-request state of the emulated filter chain. */
  private final class Flow {
    private final ClientRequest client;
    private final List<Exchange.Step> trace = new ArrayList<>();
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private StreamObserver<ProcessingRequest> toRouter;
    private boolean routerClosed;
    private boolean halfClosed;
    private ProcessingMode mode;

    Flow(ClientRequest client) {
      this.client = client;
      this.mode = filter.getProcessingMode();
    }

    Exchange run() throws IOException, InterruptedException {
      Exchange result = play();
      closeStream();
      return result;
    }

    private Exchange play() throws IOException, InterruptedException {
      Map<String, List<String>> headers = requestHeaders();
      byte[] body = client.body();
      // Envoy caches the route matched on the client's own headers.
      RouteTable.RouteEntry cachedRoute = routes.match(headers).orElse(null);
      boolean routeCleared = false;
      Struct dynamicMetadata = Struct.getDefaultInstance();

      toRouter =
          stub.process(
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
      try {
        // --- request headers ---
        if (mode.getRequestHeaderMode() != HeaderSendMode.SKIP) {
          boolean eos = body.length == 0;
          ProcessingResponse reply =
              exchange(
                  ProcessingRequest.newBuilder()
                      .setRequestHeaders(
                          HttpHeaders.newBuilder()
                              .setHeaders(PeerMutations.headerMap(headers))
                              .setEndOfStream(eos))
                      .build(),
                  EnumSet.of(ResponseCase.REQUEST_HEADERS, ResponseCase.IMMEDIATE_RESPONSE));
          if (reply != null) {
            if (reply.hasImmediateResponse()) {
              return localReply(reply.getImmediateResponse());
            }
            CommonResponse common = reply.getRequestHeaders().getResponse();
            routeCleared |= applyCommon(common, headers, null);
            honourModeOverride(reply);
            if (common.getStatus() == CommonResponse.ResponseStatus.CONTINUE_AND_REPLACE) {
              body = replaceBody(body, common.getBodyMutation());
            }
            dynamicMetadata = merge(dynamicMetadata, reply);
          }
        }
        // --- request body ---
        if (body.length > 0
            && mode.getRequestBodyMode() == BodySendMode.BUFFERED
            && !routerClosed) {
          if (body.length > bufferLimitBytes) {
            return envoyLocalReply(413, "Payload Too Large");
          }
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
              return localReply(reply.getImmediateResponse());
            }
            CommonResponse common = reply.getRequestBody().getResponse();
            byte[] before = body;
            routeCleared |= applyCommon(common, headers, null);
            body = replaceBody(body, common.getBodyMutation());
            if (body != before) {
              checkContentLength(headers, body);
            }
            dynamicMetadata = merge(dynamicMetadata, reply);
          }
        } else if (body.length > 0
            && mode.getRequestBodyMode() != BodySendMode.NONE
            && mode.getRequestBodyMode() != BodySendMode.BUFFERED) {
          throw new UnsupportedOperationException("emulator plays request bodies BUFFERED only");
        }

        // --- router filter ---
        RouteTable.RouteEntry route =
            routeCleared ? routes.match(headers).orElse(null) : cachedRoute;
        if (route == null) {
          return envoyLocalReply(404, ""); // Envoy's NR: no route
        }
        String endpoint = pickEndpoint(route.cluster(), headers, dynamicMetadata);
        Exchange.UpstreamRequest upstream =
            new Exchange.UpstreamRequest(
                route.name(), route.cluster(), endpoint, copy(headers), body);
        return forward(upstream);
      } catch (Throwable t) {
        // Report the first failure; a follow-on complaint while closing would only mask it.
        try {
          closeStream();
        } catch (Throwable suppressed) {
          t.addSuppressed(suppressed);
        }
        throw t;
      }
    }

    private Exchange forward(Exchange.UpstreamRequest up) throws IOException, InterruptedException {
      InetSocketAddress target = dns.get(up.endpoint());
      if (target == null) {
        throw new IllegalStateException("no test DNS entry for upstream " + up.endpoint());
      }
      HttpRequest.Builder rb =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + target.getPort() + up.header(":path")))
              .method(
                  up.header(":method"),
                  up.body().length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(up.body()));
      up.headers()
          .forEach(
              (name, values) -> {
                if (!name.startsWith(":") && !NOT_FORWARDED.contains(name)) {
                  values.forEach(v -> rb.header(name, v));
                }
              });
      HttpResponse<InputStream> resp =
          http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());

      Map<String, List<String>> respHeaders = new LinkedHashMap<>();
      respHeaders.put(":status", new ArrayList<>(List.of(Integer.toString(resp.statusCode()))));
      resp.headers()
          .map()
          .forEach(
              (k, v) -> {
                String name = k.toLowerCase(Locale.ROOT);
                if (!name.startsWith(":") && !NOT_FORWARDED.contains(name)) {
                  respHeaders.computeIfAbsent(name, x -> new ArrayList<>()).addAll(v);
                }
              });

      // --- response headers ---
      if (mode.getResponseHeaderMode() != HeaderSendMode.SKIP && !routerClosed) {
        ProcessingResponse reply =
            exchange(
                ProcessingRequest.newBuilder()
                    .setResponseHeaders(
                        HttpHeaders.newBuilder().setHeaders(PeerMutations.headerMap(respHeaders)))
                    .build(),
                EnumSet.of(ResponseCase.RESPONSE_HEADERS));
        if (reply != null) {
          applyCommon(reply.getResponseHeaders().getResponse(), respHeaders, "response");
          honourModeOverride(reply);
        }
      }

      // --- response body ---
      List<byte[]> released = new ArrayList<>();
      try (InputStream in = resp.body()) {
        BodySendMode bodyMode = routerClosed ? BodySendMode.NONE : mode.getResponseBodyMode();
        switch (bodyMode) {
          case NONE -> released.add(in.readAllBytes());
          case BUFFERED -> {
            byte[] all = in.readAllBytes();
            released.add(responseBody(all, true));
          }
          case STREAMED -> {
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
              if (n > 0) {
                released.add(responseBody(Arrays.copyOf(buf, n), false));
              }
            }
            released.add(responseBody(new byte[0], true));
          }
          default ->
              throw new UnsupportedOperationException(
                  "emulator cannot play response mode " + bodyMode);
        }
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      released.forEach(all::writeBytes);
      int status = Integer.parseInt(respHeaders.get(":status").get(0));
      respHeaders.remove(":status");
      return new Exchange(
          status, respHeaders, all.toByteArray(), released, false, up, List.copyOf(trace));
    }

    private byte[] responseBody(byte[] chunk, boolean endOfStream) throws InterruptedException {
      if (routerClosed) {
        return chunk;
      }
      ProcessingResponse reply =
          exchange(
              ProcessingRequest.newBuilder()
                  .setResponseBody(
                      HttpBody.newBuilder()
                          .setBody(ByteString.copyFrom(chunk))
                          .setEndOfStream(endOfStream))
                  .build(),
              EnumSet.of(ResponseCase.RESPONSE_BODY));
      if (reply == null) {
        return chunk;
      }
      CommonResponse common = reply.getResponseBody().getResponse();
      return replaceBody(chunk, common.getBodyMutation());
    }

    /**
     * Sends one message and waits for its one reply; null when the router closed the stream
     * cleanly.
     */
    private ProcessingResponse exchange(ProcessingRequest message, Set<ResponseCase> allowed)
        throws InterruptedException {
      toRouter.onNext(message);
      Object got = inbox.poll(messageTimeoutMillis, TimeUnit.MILLISECONDS);
      if (got == null) {
        throw new ProtocolViolation(
            "no reply to "
                + message.getRequestCase()
                + " within message_timeout "
                + messageTimeoutMillis
                + " ms (fail-closed Envoy answers 504)");
      }
      if (got == COMPLETED) {
        // A clean close: Envoy goes on without the processor.
        routerClosed = true;
        return null;
      }
      if (got instanceof Throwable t) {
        throw new ProtocolViolation(
            "router closed the stream with an error on "
                + message.getRequestCase()
                + " (fail-closed Envoy answers 500): "
                + t);
      }
      ProcessingResponse reply = (ProcessingResponse) got;
      trace.add(new Exchange.Step(message.getRequestCase(), message, reply));
      if (!allowed.contains(reply.getResponseCase())) {
        throw new ProtocolViolation(
            "spurious reply "
                + reply.getResponseCase()
                + " to "
                + message.getRequestCase()
                + " (allowed: "
                + allowed
                + ")");
      }
      return reply;
    }

    private void halfClose() {
      if (!halfClosed) {
        halfClosed = true;
        toRouter.onCompleted();
      }
    }

    private void closeStream() throws InterruptedException {
      halfClose();
      if (routerClosed) {
        return;
      }
      Object got;
      while ((got = inbox.poll(messageTimeoutMillis, TimeUnit.MILLISECONDS)) != null) {
        if (got == COMPLETED || got instanceof Throwable) {
          return;
        }
        throw new ProtocolViolation(
            "spurious extra reply "
                + ((ProcessingResponse) got).getResponseCase()
                + " after the last message");
      }
      throw new ProtocolViolation("router did not close the stream after Envoy half-closed it");
    }

    /** Applies a CommonResponse's header mutation; returns whether the route cache is cleared. */
    private boolean applyCommon(
        CommonResponse common, Map<String, List<String>> headers, String direction) {
      if (common.hasHeaderMutation()) {
        applyHeaderMutation(common.getHeaderMutation(), headers);
      }
      if (common.getClearRouteCache() && !common.hasHeaderMutation()) {
        // Envoy ignores it: the route stays as matched before. Recorded by simply not clearing.
        return false;
      }
      return direction == null && common.getClearRouteCache();
    }

    private void honourModeOverride(ProcessingResponse reply) {
      if (reply.hasModeOverride() && filter.getAllowModeOverride()) {
        ProcessingMode o = reply.getModeOverride();
        // Envoy takes body and trailer modes from the override; header modes of phases already
        // past are irrelevant.
        mode =
            mode.toBuilder()
                .setResponseBodyMode(o.getResponseBodyMode())
                .setRequestBodyMode(
                    o.getRequestBodyMode() == BodySendMode.NONE
                        ? mode.getRequestBodyMode()
                        : o.getRequestBodyMode())
                .build();
      }
    }

    private void checkContentLength(Map<String, List<String>> headers, byte[] body) {
      List<String> cl = headers.get("content-length");
      if (cl != null && !cl.isEmpty() && !cl.get(0).equals(Integer.toString(body.length))) {
        throw new ProtocolViolation(
            "mismatch between content length and the length of the mutated body: "
                + "content-length "
                + cl.get(0)
                + ", body "
                + body.length
                + " bytes");
      }
    }

    private Exchange localReply(ImmediateResponse r) {
      int status =
          r.hasStatus() && r.getStatus().getCodeValue() > 0 ? r.getStatus().getCodeValue() : 200;
      Map<String, List<String>> h = new LinkedHashMap<>();
      if (r.hasHeaders()) {
        applyHeaderMutation(r.getHeaders(), h);
      }
      h.putIfAbsent("content-type", new ArrayList<>(List.of("text/plain")));
      byte[] body = r.getBody().toByteArray();
      h.put("content-length", new ArrayList<>(List.of(Integer.toString(body.length))));
      halfClose(); // Envoy stops processing for this request and closes the stream
      return new Exchange(status, h, body, List.of(body), true, null, List.copyOf(trace));
    }

    private Exchange envoyLocalReply(int status, String text) {
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      Map<String, List<String>> h = new LinkedHashMap<>();
      h.put("content-type", new ArrayList<>(List.of("text/plain")));
      return new Exchange(status, h, body, List.of(body), true, null, List.copyOf(trace));
    }

    private Map<String, List<String>> requestHeaders() {
      Map<String, List<String>> h = new LinkedHashMap<>();
      put(h, ":method", client.method());
      put(h, ":path", client.path());
      put(h, ":scheme", "http");
      put(h, ":authority", "envoy:8801");
      client.headers().forEach((k, v) -> put(h, k, v));
      // The HTTP connection manager adds these before any filter runs.
      if (!h.containsKey("x-request-id")) {
        put(h, "x-request-id", UUID.randomUUID().toString());
      }
      put(h, "x-forwarded-proto", "http");
      return h;
    }

    private String pickEndpoint(
        String cluster, Map<String, List<String>> headers, Struct metadata) {
      List<String> endpoints = routes.endpoints(cluster);
      if (endpoints.isEmpty()) {
        throw new IllegalStateException("cluster " + cluster + " has no endpoints");
      }
      return endpoints.get(0);
    }
  }

  private static Struct merge(Struct metadata, ProcessingResponse reply) {
    if (!reply.hasDynamicMetadata()) {
      return metadata;
    }
    Struct.Builder b = metadata.toBuilder();
    for (Map.Entry<String, Value> e : reply.getDynamicMetadata().getFieldsMap().entrySet()) {
      b.putFields(e.getKey(), e.getValue());
    }
    return b.build();
  }

  private static byte[] replaceBody(byte[] body, BodyMutation mutation) {
    try {
      return PeerMutations.applyBody(body, mutation);
    } catch (PeerMutations.RefusedMutation e) {
      throw new ProtocolViolation(e.getMessage());
    }
  }

  /** Envoy's ext_proc header mutation rules (mutation_utils.cc), shared with the gateway. */
  static void applyHeaderMutation(HeaderMutation mutation, Map<String, List<String>> headers) {
    try {
      PeerMutations.applyHeaders(mutation, headers);
    } catch (PeerMutations.RefusedMutation e) {
      throw new ProtocolViolation(e.getMessage());
    }
  }

  private static void put(Map<String, List<String>> h, String k, String v) {
    h.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).add(v);
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> h) {
    Map<String, List<String>> c = new LinkedHashMap<>();
    h.forEach((k, v) -> c.put(k, List.copyOf(v)));
    return c;
  }
}

package io.semroute.peer;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ExternalProcessorGrpc;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse.ResponseCase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Envoy's HTTP filter chain for one request — the ext_proc filter, then the router filter — played
 * against a processor over a real gRPC stream (../shared/docs/envoy-ext-proc.md). The development
 * gateway, the tests' Envoy emulator and {@code bench-e2e} all walk requests through this class:
 *
 * <ul>
 *   <li>messages in Envoy's order ({@code request_headers}, the BUFFERED {@code request_body},
 *       {@code response_headers}, the response body BUFFERED or STREAMED chunk by chunk), each sent
 *       only if the processing mode asks for it, each waiting for exactly one reply of the matching
 *       type ({@link ExtProcStream}); an {@code ImmediateResponse} only on the request path;
 *   <li>the processor's header and body mutations applied by Envoy's rules ({@link PeerMutations});
 *       a {@code CONTINUE_AND_REPLACE} headers reply replaces the body and sends no body message;
 *   <li>a BUFFERED request body replaced without its {@code content-length} updated in the same
 *       reply fails the request (500), as Envoy fails it;
 *   <li>{@code mode_override} honoured on headers replies when the filter allows it;
 *   <li>the route matched on the client's headers and cached; {@code clear_route_cache} re-matches
 *       only when the same request-path reply carries a header mutation;
 *   <li>a body over the buffer limit answered 413 by Envoy itself, no route 404;
 *   <li>the stream half-closed after the last message, and the processor expected to end it.
 * </ul>
 *
 * <p>Fail-closed: anything the processor gets wrong throws {@link FilterFailure}, and the stream is
 * cancelled. Header maps use lower-case names, as HTTP/2 and ext_proc messages do.
 *
 * @param <R> what a route is for the caller (an Envoy route entry, a model name)
 */
public final class FilterWalk<R> {
  private static final int CHUNK = 16 * 1024;

  private final ExternalProcessorGrpc.ExternalProcessorStub processor;
  private final FilterSettings settings;
  private final Function<Map<String, List<String>>, R> routes;
  private final Upstream<R> upstream;

  /**
   * @param routes matches a route on request headers; null means no route (Envoy's 404 NR)
   */
  public FilterWalk(
      ExternalProcessorGrpc.ExternalProcessorStub processor,
      FilterSettings settings,
      Function<Map<String, List<String>>, R> routes,
      Upstream<R> upstream) {
    this.processor = processor;
    this.settings = settings;
    this.routes = routes;
    this.upstream = upstream;
  }

  /**
   * What Envoy's HTTP connection manager adds before any filter runs: {@code x-request-id} when the
   * client sent none, and {@code x-forwarded-proto}.
   */
  public static void addConnectionManagerHeaders(Map<String, List<String>> headers) {
    if (!headers.containsKey("x-request-id")) {
      add(headers, "x-request-id", UUID.randomUUID().toString());
    }
    headers.put("x-forwarded-proto", new ArrayList<>(List.of("http")));
  }

  /**
   * Walks one request through the filter chain on a new ext_proc stream; the answer goes to {@code
   * client}.
   *
   * @param headers the client's request headers, pseudo headers included (changed in place by the
   *     processor's mutations)
   * @param body the client's body, read up to one byte over the buffer limit
   * @throws FilterFailure when Envoy would fail the request (the stream is then cancelled)
   */
  public Walked<R> walk(Map<String, List<String>> headers, byte[] body, Downstream client)
      throws FilterFailure, IOException, InterruptedException {
    ExtProcStream stream = new ExtProcStream(processor, settings.messageTimeout());
    try {
      return new Request(stream, client).run(headers, body);
    } catch (FilterFailure | IOException | InterruptedException | RuntimeException e) {
      stream.cancel(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      throw e;
    }
  }

  /** The per-request state of the filter chain. */
  private final class Request {
    private final ExtProcStream ext;
    private final Downstream client;
    private ProcessingMode mode = settings.mode();

    Request(ExtProcStream ext, Downstream client) {
      this.ext = ext;
      this.client = client;
    }

    Walked<R> run(Map<String, List<String>> headers, byte[] body)
        throws FilterFailure, IOException, InterruptedException {
      // Envoy matches the route on the client's headers and caches it.
      R route = routes.apply(headers);
      boolean bodyDone = false;

      // --- request_headers ---
      if (mode.getRequestHeaderMode() != HeaderSendMode.SKIP) {
        ProcessingResponse reply =
            ext.exchange(
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
          CommonResponse common = reply.getRequestHeaders().getResponse();
          if (applyHeaders(common, headers)) {
            route = routes.apply(headers);
          }
          overrideMode(reply);
          if (common.getStatus() == CommonResponse.ResponseStatus.CONTINUE_AND_REPLACE) {
            // The body is replaced and nothing more is sent for this direction.
            body = bodyAfter(body, common);
            bodyDone = true;
          }
        }
      }

      // --- request_body (BUFFERED: all of it in one message) ---
      if (body.length > settings.bufferLimitBytes()) {
        return envoyLocalReply(413, "Payload Too Large");
      }
      if (!bodyDone && body.length > 0 && mode.getRequestBodyMode() != BodySendMode.NONE) {
        if (mode.getRequestBodyMode() != BodySendMode.BUFFERED) {
          throw new UnsupportedOperationException(
              "the Envoy peer plays request bodies BUFFERED only, not "
                  + mode.getRequestBodyMode());
        }
        ProcessingResponse reply =
            ext.exchange(
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
          CommonResponse common = reply.getRequestBody().getResponse();
          if (applyHeaders(common, headers)) {
            route = routes.apply(headers);
          }
          byte[] replaced = bodyAfter(body, common);
          if (replaced != body) {
            checkContentLength(headers, replaced);
            body = replaced;
          }
        }
      }

      // --- router filter ---
      if (route == null) {
        return envoyLocalReply(404, ""); // Envoy's NR: no route
      }
      Forwarded<R> forwarded = new Forwarded<>(route, frozen(headers), body);
      UpstreamResponse answer = upstream.call(route, headers, body);
      try (InputStream in = answer.body()) {
        respond(answer, in);
      }
      return finished(forwarded, null);
    }

    // ---------------------------------------------------------------- response side

    private void respond(UpstreamResponse answer, InputStream in)
        throws FilterFailure, IOException, InterruptedException {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put(":status", new ArrayList<>(List.of(Integer.toString(answer.status()))));
      answer.headers().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
      long declaredLength = answer.contentLength();
      boolean bodyExpected = declaredLength != 0;

      // --- response_headers (an ImmediateResponse here is spurious) ---
      if (mode.getResponseHeaderMode() != HeaderSendMode.SKIP) {
        ProcessingResponse reply =
            ext.exchange(
                ProcessingRequest.newBuilder()
                    .setResponseHeaders(
                        HttpHeaders.newBuilder()
                            .setHeaders(PeerMutations.headerMap(headers))
                            .setEndOfStream(!bodyExpected))
                    .build(),
                EnumSet.of(ResponseCase.RESPONSE_HEADERS));
        if (reply != null) {
          // clear_route_cache is ignored on the response path.
          applyHeaders(reply.getResponseHeaders().getResponse(), headers);
          overrideMode(reply);
        }
      }

      BodySendMode bodyMode = ext.routerGone() ? BodySendMode.NONE : mode.getResponseBodyMode();
      switch (bodyMode) {
        case BUFFERED -> {
          byte[] all = readLimited(in, settings.bufferLimitBytes());
          if (all.length > settings.bufferLimitBytes()) {
            throw new FilterFailure(500, "upstream response over the buffer limit");
          }
          if (bodyExpected || all.length > 0) {
            ProcessingResponse reply =
                ext.exchange(
                    ProcessingRequest.newBuilder()
                        .setResponseBody(
                            HttpBody.newBuilder()
                                .setBody(ByteString.copyFrom(all))
                                .setEndOfStream(true))
                        .build(),
                    EnumSet.of(ResponseCase.RESPONSE_BODY));
            if (reply != null) {
              CommonResponse common = reply.getResponseBody().getResponse();
              // BUFFERED: the response headers are still held, so a body reply may change them.
              applyHeaders(common, headers);
              all = bodyAfter(all, common);
            }
          }
          int status = statusOf(headers);
          headers.remove(":status");
          client.head(status, headers, all.length);
          client.body(all);
        }
        case STREAMED -> {
          int status = statusOf(headers);
          headers.remove(":status");
          client.head(status, headers, -1);
          byte[] buf = new byte[CHUNK];
          boolean sent = false;
          for (int n; (n = in.read(buf)) >= 0; ) {
            if (n > 0) {
              client.body(streamedChunk(Arrays.copyOf(buf, n), false));
              sent = true;
            }
          }
          if (sent || bodyExpected) {
            // Envoy ends a STREAMED body with an empty end_of_stream chunk.
            client.body(streamedChunk(new byte[0], true));
          }
        }
        case NONE -> {
          // The processor asked not to see it, or has gone: straight through.
          int status = statusOf(headers);
          headers.remove(":status");
          client.head(status, headers, declaredLength);
          byte[] buf = new byte[CHUNK];
          for (int n; (n = in.read(buf)) >= 0; ) {
            if (n > 0) {
              client.body(Arrays.copyOf(buf, n));
            }
          }
        }
        default ->
            throw new UnsupportedOperationException(
                "the Envoy peer cannot play response body mode " + bodyMode);
      }
    }

    /** One STREAMED {@code response_body} message; returns what goes to the client. */
    private byte[] streamedChunk(byte[] chunk, boolean endOfStream)
        throws FilterFailure, InterruptedException {
      ProcessingResponse reply =
          ext.exchange(
              ProcessingRequest.newBuilder()
                  .setResponseBody(
                      HttpBody.newBuilder()
                          .setBody(ByteString.copyFrom(chunk))
                          .setEndOfStream(endOfStream))
                  .build(),
              EnumSet.of(ResponseCase.RESPONSE_BODY));
      return reply == null ? chunk : bodyAfter(chunk, reply.getResponseBody().getResponse());
    }

    // ---------------------------------------------------------------- local replies and the end

    /** The processor's local reply: Envoy stops processing and closes the stream. */
    private Walked<R> immediate(ImmediateResponse reply)
        throws FilterFailure, IOException, InterruptedException {
      int status =
          reply.hasStatus() && reply.getStatus().getCodeValue() > 0
              ? reply.getStatus().getCodeValue()
              : 200;
      Map<String, List<String>> headers = new LinkedHashMap<>();
      if (reply.hasHeaders()) {
        applyMutation(reply.getHeaders(), headers);
      }
      headers.putIfAbsent("content-type", new ArrayList<>(List.of("text/plain")));
      byte[] body = reply.getBody().toByteArray();
      headers.put("content-length", new ArrayList<>(List.of(Integer.toString(body.length))));
      ext.halfClose();
      client.head(status, headers, body.length);
      client.body(body);
      return finished(null, reply);
    }

    /** A reply Envoy makes itself (413, 404 NR): the processor's stream is reset. */
    private Walked<R> envoyLocalReply(int status, String text) throws IOException {
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("content-type", new ArrayList<>(List.of("text/plain")));
      ext.cancel("local reply " + status);
      client.head(status, headers, body.length);
      client.body(body);
      client.end();
      return new Walked<>(null, null, ext.trace(), null);
    }

    /** The client has its whole answer; then the processor is expected to end the stream. */
    private Walked<R> finished(Forwarded<R> forwarded, ImmediateResponse immediate)
        throws IOException, InterruptedException {
      client.end();
      String problem = ext.finish();
      return new Walked<>(forwarded, immediate, ext.trace(), problem);
    }

    // ---------------------------------------------------------------- the processor's replies

    /** Applies a reply's header mutation; true when the route must be matched again. */
    private boolean applyHeaders(CommonResponse common, Map<String, List<String>> headers)
        throws FilterFailure {
      if (!common.hasHeaderMutation()) {
        // clear_route_cache without a header mutation is ignored, as Envoy ignores it.
        return false;
      }
      applyMutation(common.getHeaderMutation(), headers);
      return common.getClearRouteCache();
    }

    /** {@code mode_override}: only on headers replies, only when the filter allows it. */
    private void overrideMode(ProcessingResponse reply) {
      if (reply.hasModeOverride() && settings.allowModeOverride()) {
        mode = reply.getModeOverride();
      }
    }
  }

  /** A header mutation as Envoy applies it; one it refuses fails the filter (500). */
  static void applyMutation(HeaderMutation mutation, Map<String, List<String>> headers)
      throws FilterFailure {
    try {
      PeerMutations.applyHeaders(mutation, headers);
    } catch (PeerMutations.RefusedMutation e) {
      throw new FilterFailure(500, "ext_proc: " + e.getMessage());
    }
  }

  /** The body after the reply's body mutation, if any; one Envoy refuses fails the filter. */
  static byte[] bodyAfter(byte[] body, CommonResponse common) throws FilterFailure {
    if (!common.hasBodyMutation()) {
      return body;
    }
    try {
      return PeerMutations.applyBody(body, common.getBodyMutation());
    } catch (PeerMutations.RefusedMutation e) {
      throw new FilterFailure(500, "ext_proc: " + e.getMessage());
    }
  }

  /**
   * Envoy keeps the client's content-length in BUFFERED mode: a replaced body must come with its
   * own.
   */
  static void checkContentLength(Map<String, List<String>> headers, byte[] body)
      throws FilterFailure {
    String length = first(headers, "content-length");
    if (length != null && !length.trim().equals(Integer.toString(body.length))) {
      throw new FilterFailure(
          500,
          "ext_proc: mismatch between content length ("
              + length
              + ") and the length of the mutated body ("
              + body.length
              + " bytes)");
    }
  }

  /** Reads up to {@code limit + 1} bytes, so the caller can tell "over the limit". */
  public static byte[] readLimited(InputStream in, long limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[CHUNK];
    for (int n; (n = in.read(buf)) >= 0; ) {
      out.write(buf, 0, n);
      if (out.size() > limit) {
        break;
      }
    }
    return out.toByteArray();
  }

  private static int statusOf(Map<String, List<String>> headers) throws FilterFailure {
    String status = first(headers, ":status");
    try {
      return Integer.parseInt(status == null ? "" : status.trim());
    } catch (NumberFormatException e) {
      throw new FilterFailure(500, "invalid :status '" + status + "'");
    }
  }

  private static Map<String, List<String>> frozen(Map<String, List<String>> headers) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    return copy;
  }

  private static void add(Map<String, List<String>> headers, String name, String value) {
    headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}

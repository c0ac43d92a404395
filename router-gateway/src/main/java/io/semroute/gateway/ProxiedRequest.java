package io.semroute.gateway;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.BodySendMode;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ProcessingMode.HeaderSendMode;
import io.envoyproxy.envoy.service.ext_proc.v3.CommonResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpBody;
import io.envoyproxy.envoy.service.ext_proc.v3.HttpHeaders;
import io.envoyproxy.envoy.service.ext_proc.v3.ImmediateResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingRequest;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse.ResponseCase;
import io.semroute.extproc.envoy.PeerMutations;
import io.semroute.extproc.envoy.RoutingHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request through the gateway: the ext_proc messages in Envoy's order ({@code
 * request_headers}, the BUFFERED {@code request_body}, {@code response_headers}, the response body
 * BUFFERED or, after a {@code mode_override}, STREAMED chunk by chunk), the router's mutations
 * applied by {@link PeerMutations}, and the upstream call in between.
 *
 * <p>Header maps use lower-case names, as HTTP/2 and Envoy's ext_proc messages do.
 */
final class ProxiedRequest {
  private static final Logger log = LoggerFactory.getLogger(ProxiedRequest.class);

  /**
   * Hop-by-hop and framing headers: never forwarded as they came (the servers frame bodies
   * themselves).
   */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "expect",
          "content-length",
          "host");

  private static final int CHUNK = 16 * 1024;

  private final Gateway gateway;
  private final HttpExchange client;
  private final ExtProcStream ext;
  private ProcessingMode mode = Gateway.ENVOY_YAML_MODE;

  /**
   * True once the client's response status line went out (after that, errors cannot be reported).
   */
  private boolean responseStarted;

  ProxiedRequest(Gateway gateway, HttpExchange client) {
    this.gateway = gateway;
    this.client = client;
    this.ext = gateway.openStream();
  }

  void run() {
    try (client) {
      try {
        proxy();
        // The client has its whole answer; then let the router end the stream.
        client.close();
        ext.finish();
      } catch (GatewayFailure f) {
        ext.cancel(f.getMessage());
        log.warn(
            "{} {}: {} ({})",
            client.getRequestMethod(),
            client.getRequestURI(),
            f.status(),
            f.getMessage());
        localReply(f.status(), f.getMessage());
      } catch (IOException e) {
        ext.cancel("client or upstream I/O failed");
        log.info(
            "{} {}: connection failed: {}",
            client.getRequestMethod(),
            client.getRequestURI(),
            e.toString());
        localReply(502, "upstream or client connection failed: " + e.getMessage());
      } catch (InterruptedException e) {
        ext.cancel("gateway shutting down");
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        ext.cancel("gateway error");
        log.error("{} {}: gateway error", client.getRequestMethod(), client.getRequestURI(), e);
        localReply(500, "gateway error: " + e);
      }
    }
  }

  private void proxy() throws GatewayFailure, IOException, InterruptedException {
    Map<String, List<String>> headers = requestHeaders();
    byte[] body = readLimited(client.getRequestBody(), gateway.settings().bufferLimitBytes());
    // Envoy matches the route on the client's headers and caches it.
    String routeModel =
        gateway.upstreams().routeModel(first(headers, RoutingHeaders.SELECTED_MODEL));
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
          immediate(reply.getImmediateResponse());
          return;
        }
        CommonResponse common = reply.getRequestHeaders().getResponse();
        if (apply(common, headers)) {
          routeModel =
              gateway.upstreams().routeModel(first(headers, RoutingHeaders.SELECTED_MODEL));
        }
        overrideMode(reply);
        if (common.getStatus() == CommonResponse.ResponseStatus.CONTINUE_AND_REPLACE) {
          body = bodyAfter(body, common);
          bodyDone = true;
        }
      }
    }

    // --- request_body (BUFFERED: all of it in one message) ---
    if (body.length > gateway.settings().bufferLimitBytes()) {
      throw new GatewayFailure(413, "Payload Too Large");
    }
    if (!bodyDone && body.length > 0 && mode.getRequestBodyMode() != BodySendMode.NONE) {
      ProcessingResponse reply =
          ext.exchange(
              ProcessingRequest.newBuilder()
                  .setRequestBody(
                      HttpBody.newBuilder().setBody(ByteString.copyFrom(body)).setEndOfStream(true))
                  .build(),
              EnumSet.of(ResponseCase.REQUEST_BODY, ResponseCase.IMMEDIATE_RESPONSE));
      if (reply != null) {
        if (reply.hasImmediateResponse()) {
          immediate(reply.getImmediateResponse());
          return;
        }
        CommonResponse common = reply.getRequestBody().getResponse();
        if (apply(common, headers)) {
          routeModel =
              gateway.upstreams().routeModel(first(headers, RoutingHeaders.SELECTED_MODEL));
        }
        byte[] replaced = bodyAfter(body, common);
        if (replaced != body) {
          checkContentLength(headers, replaced);
          body = replaced;
        }
      }
    }

    // --- upstream ---
    Upstreams.Target target = gateway.upstreams().pick(routeModel, gateway.random());
    log.info(
        "{} {} -> {} at {}",
        first(headers, ":method"),
        first(headers, ":path"),
        routeModel,
        target.address());
    HttpResponse<InputStream> upstream = send(target, headers, body);
    try (InputStream upstreamBody = upstream.body()) {
      respond(upstream, upstreamBody);
    }
  }

  // ------------------------------------------------------------------ response side

  private void respond(HttpResponse<InputStream> upstream, InputStream in)
      throws GatewayFailure, IOException, InterruptedException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put(":status", new ArrayList<>(List.of(Integer.toString(upstream.statusCode()))));
    upstream
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              String key = name.toLowerCase(Locale.ROOT);
              if (!key.startsWith(":") && !HOP_BY_HOP.contains(key)) {
                headers.computeIfAbsent(key, k -> new ArrayList<>()).addAll(values);
              }
            });
    boolean bodyExpected = upstream.headers().firstValueAsLong("content-length").orElse(-1) != 0;

    // --- response_headers ---
    if (mode.getResponseHeaderMode() != HeaderSendMode.SKIP) {
      ProcessingResponse reply =
          ext.exchange(
              ProcessingRequest.newBuilder()
                  .setResponseHeaders(
                      HttpHeaders.newBuilder()
                          .setHeaders(PeerMutations.headerMap(headers))
                          .setEndOfStream(!bodyExpected))
                  .build(),
              EnumSet.of(ResponseCase.RESPONSE_HEADERS, ResponseCase.IMMEDIATE_RESPONSE));
      if (reply != null) {
        if (reply.hasImmediateResponse()) {
          immediate(reply.getImmediateResponse());
          return;
        }
        apply(reply.getResponseHeaders().getResponse(), headers);
        overrideMode(reply);
      }
    }
    int status = statusOf(headers);

    BodySendMode bodyMode = ext.routerGone() ? BodySendMode.NONE : mode.getResponseBodyMode();
    switch (bodyMode) {
      case BUFFERED -> {
        byte[] all = readLimited(in, gateway.settings().bufferLimitBytes());
        if (all.length > gateway.settings().bufferLimitBytes()) {
          throw new GatewayFailure(500, "upstream response over the buffer limit");
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
            apply(common, headers);
            all = bodyAfter(all, common);
          }
        }
        sendHead(statusOf(headers), headers, all.length);
        if (all.length > 0) {
          client.getResponseBody().write(all);
        }
      }
      case STREAMED -> {
        sendHead(status, headers, -1);
        OutputStream out = client.getResponseBody();
        byte[] buf = new byte[CHUNK];
        boolean sent = false;
        for (int n; (n = in.read(buf)) >= 0; ) {
          if (n > 0) {
            out.write(streamedChunk(Arrays.copyOf(buf, n), false));
            out.flush();
            sent = true;
          }
        }
        if (sent || bodyExpected) {
          // Envoy ends a STREAMED body with an empty end_of_stream chunk.
          out.write(streamedChunk(new byte[0], true));
        }
      }
      default -> {
        // NONE (the router asked not to see it, or has gone): straight through.
        long length = upstream.headers().firstValueAsLong("content-length").orElse(-1);
        sendHead(status, headers, length);
        OutputStream out = client.getResponseBody();
        byte[] buf = new byte[CHUNK];
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    }
  }

  /** One STREAMED {@code response_body} message; returns what goes to the client. */
  private byte[] streamedChunk(byte[] chunk, boolean endOfStream)
      throws GatewayFailure, InterruptedException {
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

  // ------------------------------------------------------------------ upstream

  private HttpResponse<InputStream> send(
      Upstreams.Target target, Map<String, List<String>> headers, byte[] body)
      throws GatewayFailure, IOException, InterruptedException {
    URI uri;
    try {
      uri = URI.create("http://" + target.address() + first(headers, ":path"));
    } catch (IllegalArgumentException e) {
      throw new GatewayFailure(400, "bad request path: " + first(headers, ":path"));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(gateway.settings().upstreamTimeout())
            .method(
                first(headers, ":method"),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(
        (name, values) -> {
          if (!name.startsWith(":") && !HOP_BY_HOP.contains(name)) {
            values.forEach(v -> request.header(name, v));
          }
        });
    try {
      return gateway.http().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new GatewayFailure(503, "upstream connect error (" + target.address() + "): " + e, e);
    } catch (HttpTimeoutException e) {
      throw new GatewayFailure(504, "upstream request timeout (" + target.address() + ")", e);
    }
  }

  // ------------------------------------------------------------------ the router's replies

  /** Applies a reply's header mutation; true when the route must be matched again. */
  private boolean apply(CommonResponse common, Map<String, List<String>> headers)
      throws GatewayFailure {
    if (!common.hasHeaderMutation()) {
      // clear_route_cache without a header mutation is ignored, as Envoy ignores it.
      return false;
    }
    try {
      PeerMutations.applyHeaders(common.getHeaderMutation(), headers);
    } catch (PeerMutations.RefusedMutation e) {
      throw new GatewayFailure(500, "ext_proc: " + e.getMessage());
    }
    return common.getClearRouteCache();
  }

  private static byte[] bodyAfter(byte[] body, CommonResponse common) throws GatewayFailure {
    if (!common.hasBodyMutation()) {
      return body;
    }
    try {
      return PeerMutations.applyBody(body, common.getBodyMutation());
    } catch (PeerMutations.RefusedMutation e) {
      throw new GatewayFailure(500, "ext_proc: " + e.getMessage());
    }
  }

  /** {@code mode_override} (envoy.yaml sets {@code allow_mode_override: true}). */
  private void overrideMode(ProcessingResponse reply) {
    if (reply.hasModeOverride()) {
      mode = reply.getModeOverride();
    }
  }

  /**
   * Envoy keeps the client's content-length in BUFFERED mode: a replaced body must come with its
   * own.
   */
  private static void checkContentLength(Map<String, List<String>> headers, byte[] body)
      throws GatewayFailure {
    String length = first(headers, "content-length");
    if (length != null && !length.trim().equals(Integer.toString(body.length))) {
      throw new GatewayFailure(
          500,
          "ext_proc: mismatch between content length ("
              + length
              + ") and the length of the mutated body ("
              + body.length
              + " bytes)");
    }
  }

  /** The router's local reply; the stream ends with it. */
  private void immediate(ImmediateResponse reply) throws IOException, GatewayFailure {
    int status =
        reply.hasStatus() && reply.getStatus().getCodeValue() > 0
            ? reply.getStatus().getCodeValue()
            : 200;
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (reply.hasHeaders()) {
      try {
        PeerMutations.applyHeaders(reply.getHeaders(), headers);
      } catch (PeerMutations.RefusedMutation e) {
        throw new GatewayFailure(500, "ext_proc: " + e.getMessage());
      }
    }
    headers.putIfAbsent("content-type", new ArrayList<>(List.of("text/plain")));
    byte[] body = reply.getBody().toByteArray();
    ext.halfClose();
    sendHead(status, headers, body.length);
    if (body.length > 0) {
      client.getResponseBody().write(body);
    }
  }

  // ------------------------------------------------------------------ client side

  private Map<String, List<String>> requestHeaders() {
    Map<String, List<String>> h = new LinkedHashMap<>();
    URI uri = client.getRequestURI();
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    add(h, ":method", client.getRequestMethod());
    add(h, ":path", path);
    add(h, ":scheme", "http");
    String host = client.getRequestHeaders().getFirst("host");
    add(h, ":authority", host != null ? host : "localhost:" + gateway.port());
    client
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String key = name.toLowerCase(Locale.ROOT);
              if (!key.equals("host")
                  && (key.equals("content-length") || !HOP_BY_HOP.contains(key))) {
                values.forEach(v -> add(h, key, v));
              }
            });
    // Envoy's HTTP connection manager adds these before any filter runs.
    if (!h.containsKey("x-request-id")) {
      add(h, "x-request-id", UUID.randomUUID().toString());
    }
    h.put("x-forwarded-proto", new ArrayList<>(List.of("http")));
    return h;
  }

  /**
   * Sends the status line and headers.
   *
   * @param length body bytes, or -1 for a body of unknown length (chunked)
   */
  private void sendHead(int status, Map<String, List<String>> headers, long length)
      throws IOException {
    Headers out = client.getResponseHeaders();
    headers.forEach(
        (name, values) -> {
          if (!name.startsWith(":") && !HOP_BY_HOP.contains(name)) {
            out.put(name, new ArrayList<>(values));
          }
        });
    responseStarted = true;
    boolean noBody =
        length == 0 || status == 204 || status == 304 || "HEAD".equals(client.getRequestMethod());
    // HttpServer's convention: -1 = no body, 0 = chunked, n = fixed length.
    client.sendResponseHeaders(status, noBody ? -1 : length < 0 ? 0 : length);
  }

  /** Envoy-style local reply (text/plain) when nothing has been sent to the client yet. */
  private void localReply(int status, String text) {
    if (responseStarted) {
      // Too late for a status: the client sees the body end early.
      return;
    }
    try {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("content-type", new ArrayList<>(List.of("text/plain")));
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      sendHead(status, headers, body.length);
      client.getResponseBody().write(body);
    } catch (IOException e) {
      log.debug("could not send the local reply", e);
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Reads up to {@code limit + 1} bytes, so the caller can tell "over the limit". */
  private static byte[] readLimited(InputStream in, long limit) throws IOException {
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

  private static int statusOf(Map<String, List<String>> headers) throws GatewayFailure {
    String status = first(headers, ":status");
    try {
      return Integer.parseInt(status == null ? "" : status.trim());
    } catch (NumberFormatException e) {
      throw new GatewayFailure(500, "invalid :status '" + status + "'");
    }
  }

  private static void add(Map<String, List<String>> headers, String name, String value) {
    headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}

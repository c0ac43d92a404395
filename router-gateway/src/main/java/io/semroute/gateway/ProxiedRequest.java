package io.semroute.gateway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.semroute.peer.Downstream;
import io.semroute.peer.FilterFailure;
import io.semroute.peer.FilterWalk;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request through the gateway: its headers and body handed to the {@link FilterWalk}
 * (Envoy's filter chain against the router), the answer written back to the client as the walk
 * releases it, and Envoy's local reply when the walk fails the request.
 */
final class ProxiedRequest implements Downstream {
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

  private final Gateway gateway;
  private final HttpExchange client;

  /**
   * True once the client's response status line went out (after that, errors cannot be reported).
   */
  private boolean responseStarted;

  /** Whether this attempt's failure may be retried: its answer is then held back. */
  private boolean retryable;

  /** The status of an attempt's answer held back for a retry, else 0. */
  private int dropped;

  ProxiedRequest(Gateway gateway, HttpExchange client) {
    this.gateway = gateway;
    this.client = client;
  }

  void run() {
    try (client) {
      try {
        Map<String, List<String>> headers = requestHeaders();
        byte[] body =
            FilterWalk.readLimited(client.getRequestBody(), gateway.settings().bufferLimitBytes());
        walkWithFallback(headers, body);
      } catch (FilterFailure f) {
        log.warn(
            "{} {}: {} ({})",
            client.getRequestMethod(),
            client.getRequestURI(),
            f.status(),
            f.getMessage());
        localReply(f.status(), f.getMessage());
      } catch (IOException e) {
        log.info(
            "{} {}: connection failed: {}",
            client.getRequestMethod(),
            client.getRequestURI(),
            e.toString());
        localReply(502, "upstream or client connection failed: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        log.error("{} {}: gateway error", client.getRequestMethod(), client.getRequestURI(), e);
        localReply(500, "gateway error: " + e);
      }
    }
  }

  /**
   * Walks the request; while {@link Fallback} allows another attempt, an attempt that fails before
   * its first byte reached the client (connect failure, or a retryable status, whose answer is then
   * dropped) is walked again with the models tried.
   */
  private void walkWithFallback(Map<String, List<String>> headers, byte[] body)
      throws FilterFailure, IOException, InterruptedException {
    Fallback.Attempts attempts = gateway.fallback().start(body);
    while (true) {
      retryable = attempts.anotherAllowed();
      dropped = 0;
      gateway.takeAttemptModel();
      String failure;
      try {
        gateway.filters().walk(attempts.headers(headers), body, this);
        if (dropped == 0) {
          return;
        }
        failure = "status " + dropped;
      } catch (FilterFailure f) {
        if (!retryable || responseStarted || !(f.getCause() instanceof IOException)) {
          throw f;
        }
        failure = f.getMessage();
      }
      String model = gateway.takeAttemptModel();
      attempts.failed(model);
      log.info(
          "{} {}: attempt on {} failed ({}); falling back, tried {}",
          client.getRequestMethod(),
          client.getRequestURI(),
          model,
          failure,
          attempts.tried());
    }
  }

  // ------------------------------------------------------------------ the walk's answer

  @Override
  public void head(int status, Map<String, List<String>> headers, long length) throws IOException {
    // Only an upstream's answer is retried (the router's own 429 is not a failed attempt).
    if (retryable && Fallback.retryable(status) && gateway.attemptModel() != null) {
      dropped = status;
      return;
    }
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

  @Override
  public void body(byte[] chunk) throws IOException {
    if (dropped == 0 && chunk.length > 0) {
      client.getResponseBody().write(chunk);
      client.getResponseBody().flush();
    }
  }

  /** The client has its whole answer before the router is waited for to end the stream. */
  @Override
  public void end() {
    if (dropped != 0) {
      return;
    }
    client.close();
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
    FilterWalk.addConnectionManagerHeaders(h);
    return h;
  }

  /** Envoy-style local reply (text/plain) when nothing has been sent to the client yet. */
  private void localReply(int status, String text) {
    retryable = false;
    dropped = 0;
    if (responseStarted) {
      // Too late for a status: the client sees the body end early.
      return;
    }
    try {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("content-type", new ArrayList<>(List.of("text/plain")));
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      head(status, headers, body.length);
      client.getResponseBody().write(body);
    } catch (IOException e) {
      log.debug("could not send the local reply", e);
    }
  }

  private static void add(Map<String, List<String>> headers, String name, String value) {
    headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }
}

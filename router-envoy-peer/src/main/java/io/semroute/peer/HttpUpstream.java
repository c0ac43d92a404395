package io.semroute.peer;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The router filter's upstream call over HTTP/1.1 with the JDK's client: the mutated request to the
 * route's address, the answer's status, headers and body stream back. A connect failure is Envoy's
 * 503, a timeout to the response headers its 504.
 *
 * @param <R> the route type; {@code address} turns a route into {@code host:port}
 */
public final class HttpUpstream<R> implements Upstream<R> {
  /** Hop-by-hop and framing headers: the client and the servers frame bodies themselves. */
  static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "expect",
          "host");

  private static final String RESTRICTED_HEADERS = "jdk.httpclient.allowRestrictedHeaders";

  private final HttpClient http;
  private final Function<R, String> address;
  private final Duration timeout;
  private final boolean forwardContentLength;

  /**
   * @param timeout to the upstream's response headers
   * @param forwardContentLength send {@code content-length} as the processor left it (as Envoy
   *     does; needs {@code -Djdk.httpclient.allowRestrictedHeaders=content-length}) rather than
   *     letting the JDK client compute it
   */
  public HttpUpstream(
      HttpClient http,
      Function<R, String> address,
      Duration timeout,
      boolean forwardContentLength) {
    if (forwardContentLength
        && !System.getProperty(RESTRICTED_HEADERS, "")
            .toLowerCase(Locale.ROOT)
            .contains("content-length")) {
      throw new IllegalStateException(
          "forwarding content-length needs -D" + RESTRICTED_HEADERS + "=content-length");
    }
    this.http = http;
    this.address = address;
    this.timeout = timeout;
    this.forwardContentLength = forwardContentLength;
  }

  @Override
  public UpstreamResponse call(R route, Map<String, List<String>> headers, byte[] body)
      throws FilterFailure, IOException, InterruptedException {
    String target = address.apply(route);
    String path = first(headers, ":path");
    URI uri;
    try {
      uri = URI.create("http://" + target + path);
    } catch (IllegalArgumentException e) {
      throw new FilterFailure(400, "bad request path: " + path);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .method(
                first(headers, ":method"),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(
        (name, values) -> {
          if (forwarded(name) && (forwardContentLength || !name.equals("content-length"))) {
            values.forEach(v -> request.header(name, v));
          }
        });
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new FilterFailure(503, "upstream connect error (" + target + "): " + e, e);
    } catch (HttpTimeoutException e) {
      throw new FilterFailure(504, "upstream request timeout (" + target + ")", e);
    }
    Map<String, List<String>> answer = new LinkedHashMap<>();
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              String key = name.toLowerCase(Locale.ROOT);
              if (forwarded(key)) {
                answer.computeIfAbsent(key, k -> new ArrayList<>()).addAll(values);
              }
            });
    return new UpstreamResponse(response.statusCode(), answer, response.body());
  }

  private static boolean forwarded(String name) {
    return !name.startsWith(":") && !HOP_BY_HOP.contains(name);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}

package io.semroute.extproc.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.pipeline.RouterSnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The router's HTTP API (port {@code listeners.http_port}), with the reference router's shapes:
 *
 * <ul>
 *   <li>{@code GET /health} (the process answers: 200), {@code GET /ready} (200 only when the
 *       models are loaded and gRPC is SERVING; 503 while starting and while draining);
 *   <li>{@code POST /api/v1/classify/intent}, {@code /pii}, {@code /security}, {@code /batch};
 *   <li>{@code GET /v1/models}, {@code GET /info/models}, {@code GET /config} (secrets masked).
 * </ul>
 *
 * <p>With a token ({@code listeners.api_token_env}), every endpoint except {@code /health}, {@code
 * /ready} and {@code /v1/models} (client-facing: Envoy's fallback route) needs {@code
 * Authorization: Bearer TOKEN} (compared in constant time). Bodies are limited to {@link
 * #MAX_BODY_BYTES}; errors are JSON {@code {"error": {...}}} with a 4xx status. {@link ApiRoutes}
 * holds the table; this class only carries exchanges to it over the JDK's HTTP server.
 */
public final class HttpApiServer implements AutoCloseable {
  /** Largest request body accepted (413 above). */
  public static final int MAX_BODY_BYTES = ApiRequest.MAX_BODY_BYTES;

  /** Most texts in one {@code /batch} call. */
  public static final int MAX_BATCH_TEXTS = ClassifyHandlers.MAX_BATCH_TEXTS;

  /** Serving state as readiness sees it. */
  public enum State {
    STARTING,
    READY,
    DRAINING
  }

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newFixedThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "http-api");
            t.setDaemon(true);
            return t;
          });
  private final ApiRoutes routes;

  /**
   * @param snapshots the current config snapshot (classifiers, guards); null while starting
   * @param state readiness
   * @param classifiers the open classifiers (for {@code /info/models}), or null
   * @param token bearer token the API requires, or null for an open API
   */
  public HttpApiServer(
      InetSocketAddress address,
      Supplier<RouterSnapshot> snapshots,
      Supplier<State> state,
      ClassifierCache classifiers,
      String token)
      throws IOException {
    this.routes = ApiRoutes.standard(snapshots, state, classifiers, BearerToken.of(token));
    this.server = HttpServer.create(address, 64);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
  }

  public HttpApiServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      ApiResponse response = routes.dispatch(ApiRequest.of(ex));
      byte[] json = response.json();
      for (Map.Entry<String, String> h : response.headers().entrySet()) {
        ex.getResponseHeaders().set(h.getKey(), h.getValue());
      }
      ex.getResponseHeaders().set("content-type", "application/json");
      ex.sendResponseHeaders(response.status(), json.length);
      ex.getResponseBody().write(json);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

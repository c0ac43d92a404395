package io.semroute.extproc.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.openai.ModelList;
import io.semroute.extproc.openai.OpenAiErrors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The router's small HTTP API (port {@code listeners.http_port}): {@code GET /v1/models} (the
 * same list the ext_proc path answers, for when Envoy reaches it directly) and
 * {@code GET /health}.
 */
public final class HttpApiServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "http-api");
    t.setDaemon(true);
    return t;
  });
  private final Supplier<RouterConfig> config;
  private final BooleanSupplier ready;

  public HttpApiServer(InetSocketAddress address, Supplier<RouterConfig> config, BooleanSupplier ready)
      throws IOException {
    this.config = config;
    this.ready = ready;
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
      String path = ex.getRequestURI().getPath();
      boolean get = "GET".equals(ex.getRequestMethod());
      if (get && "/v1/models".equals(path)) {
        send(ex, 200, ModelList.body(config.get(), System.currentTimeMillis() / 1000));
      } else if (get && "/health".equals(path)) {
        boolean ok = ready.getAsBoolean();
        send(ex, ok ? 200 : 503,
            ("{\"status\":\"" + (ok ? "healthy" : "starting") + "\"}").getBytes(StandardCharsets.UTF_8));
      } else {
        send(ex, 404, OpenAiErrors.body("no such endpoint: " + ex.getRequestMethod() + " " + path,
            "invalid_request_error", null, "not_found"));
      }
    }
  }

  private static void send(HttpExchange ex, int status, byte[] json) throws IOException {
    ex.getResponseHeaders().set("content-type", "application/json");
    ex.sendResponseHeaders(status, json.length);
    ex.getResponseBody().write(json);
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }
}

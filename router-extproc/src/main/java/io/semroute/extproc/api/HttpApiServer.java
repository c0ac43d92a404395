package io.semroute.extproc.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.semroute.config.RouterConfig;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierInfo;
import io.semroute.extproc.classifiers.DetectedEntity;
import io.semroute.extproc.decision.Classification;
import io.semroute.extproc.decision.ClassificationFailedException;
import io.semroute.extproc.decision.DecisionReason;
import io.semroute.extproc.decision.RoutingDecision;
import io.semroute.extproc.guard.JailbreakGuard;
import io.semroute.extproc.guard.JailbreakVerdict;
import io.semroute.extproc.guard.PiiScanner;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.ModelList;
import io.semroute.extproc.openai.OpenAiErrors;
import io.semroute.extproc.pipeline.RouterSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * #MAX_BODY_BYTES}; errors are JSON {@code {"error": {...}}} with a 4xx status.
 */
public final class HttpApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);

  /** Largest request body accepted (413 above). */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  /** Most texts in one {@code /batch} call. */
  public static final int MAX_BATCH_TEXTS = 100;

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
  private final Supplier<RouterSnapshot> snapshots;
  private final Supplier<State> state;
  private final ClassifierCache classifiers;
  private final byte[] token;

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
    this.snapshots = snapshots;
    this.state = state;
    this.classifiers = classifiers;
    this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
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
      String method = ex.getRequestMethod();
      try {
        route(ex, method, path);
      } catch (ApiError e) {
        send(
            ex,
            e.status,
            OpenAiErrors.body(
                e.getMessage(),
                e.status >= 500 ? "server_error" : "invalid_request_error",
                e.param,
                e.code));
      } catch (RuntimeException e) {
        log.error("HTTP API {} {} failed", method, path, e);
        send(ex, 500, OpenAiErrors.body("internal error", "server_error", null, "internal"));
      }
    }
  }

  private void route(HttpExchange ex, String method, String path) throws IOException {
    switch (path) {
      case "/health" -> {
        requireMethod(method, "GET");
        send(ex, 200, json(Json.MAPPER.createObjectNode().put("status", "healthy")));
        return;
      }
      case "/ready" -> {
        requireMethod(method, "GET");
        State s = state.get();
        send(
            ex,
            s == State.READY ? 200 : 503,
            json(Json.MAPPER.createObjectNode().put("status", s.name().toLowerCase(Locale.ROOT))));
        return;
      }
      case "/v1/models" -> {
        // Client-facing (Envoy's fallback route for GET /v1/models): model names only, open.
        requireMethod(method, "GET");
        RouterSnapshot snap = snapshots.get();
        if (snap == null) {
          throw new ApiError(503, "the router is still loading its models", null, "not_ready");
        }
        send(ex, 200, ModelList.body(snap.config(), System.currentTimeMillis() / 1000));
        return;
      }
      default -> {}
    }
    authorize(ex);
    if (snapshots.get() == null) {
      throw new ApiError(503, "the router is still loading its models", null, "not_ready");
    }
    switch (path) {
      case "/info/models" -> {
        requireMethod(method, "GET");
        send(ex, 200, json(infoModels()));
      }
      case "/config" -> {
        requireMethod(method, "GET");
        send(ex, 200, json(EffectiveConfig.masked(snapshots.get().config())));
      }
      case "/api/v1/classify/intent" -> {
        requireMethod(method, "POST");
        JsonNode req = body(ex);
        send(ex, 200, json(intent(snapshots.get(), text(req, "text"), returnProbabilities(req))));
      }
      case "/api/v1/classify/pii" -> {
        requireMethod(method, "POST");
        send(ex, 200, json(pii(snapshots.get(), text(body(ex), "text"))));
      }
      case "/api/v1/classify/security" -> {
        requireMethod(method, "POST");
        send(ex, 200, json(security(snapshots.get(), text(body(ex), "text"))));
      }
      case "/api/v1/classify/batch" -> {
        requireMethod(method, "POST");
        send(ex, 200, json(batch(snapshots.get(), body(ex))));
      }
      default ->
          throw new ApiError(404, "no such endpoint: " + method + " " + path, null, "not_found");
    }
  }

  // ---- endpoints -------------------------------------------------------------------------

  private ObjectNode infoModels() {
    RouterSnapshot snap = snapshots.get();
    RouterConfig cfg = snap.config();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.putPOJO("classifiers", ClassifierInfo.describe(classifiers, cfg));
    ArrayNode models = o.putArray("models");
    cfg.models()
        .values()
        .forEach(
            m -> {
              ObjectNode n = models.addObject().put("name", m.name());
              if (m.reasoningFamily() != null) {
                n.put("reasoning_family", m.reasoningFamily());
              }
              n.putPOJO("backends", cfg.backendsFor(m.name()).stream().map(b -> b.name()).toList());
            });
    o.put("default_model", cfg.defaultModel());
    o.putPOJO("categories", cfg.categories().stream().map(c -> c.name()).toList());
    return o;
  }

  static ObjectNode intent(RouterSnapshot snap, String text, boolean probabilities) {
    long start = System.nanoTime();
    Classification c;
    RoutingDecision d;
    try {
      c = snap.decision().classify(List.of(text));
      d = snap.decision().decideFor(c);
    } catch (ClassificationFailedException e) {
      throw new ApiError(
          503,
          "the category classifier could not answer: " + e.getMessage(),
          null,
          "classifier_unavailable");
    }
    ObjectNode o = Json.MAPPER.createObjectNode();
    ObjectNode cls = o.putObject("classification");
    cls.put("category", c.hasCategory() ? c.category() : "unknown");
    cls.put("confidence", c.confidence());
    cls.put("processing_time_ms", ms(start));
    if (probabilities) {
      ObjectNode p = o.putObject("probabilities");
      c.scores().forEach(p::put);
    }
    o.put("recommended_model", d.model());
    o.put("routing_decision", DecisionReason.of(d).label());
    o.put("use_reasoning", d.reasoning());
    if (d.reasoningEffort() != null) {
      o.put("reasoning_effort", d.reasoningEffort());
    }
    o.put("reason", d.reason());
    return o;
  }

  static ObjectNode pii(RouterSnapshot snap, String text) {
    long start = System.nanoTime();
    PiiScanner scanner = snap.guards().pii();
    if (scanner == null) {
      throw new ApiError(
          409, "PII detection is off in this config (classifier.pii)", null, "classifier_disabled");
    }
    List<DetectedEntity> spans = join(scanner.detector().entities(text), "PII detector");
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("has_pii", !spans.isEmpty());
    ArrayNode entities = o.putArray("entities");
    for (DetectedEntity s : spans) {
      entities
          .addObject()
          .put("type", s.type())
          .put("value", text.substring(s.start(), s.end()))
          .put("confidence", s.score())
          .put("start_position", s.start())
          .put("end_position", s.end());
    }
    o.put("processing_time_ms", ms(start));
    return o;
  }

  static ObjectNode security(RouterSnapshot snap, String text) {
    long start = System.nanoTime();
    JailbreakGuard guard = snap.guards().jailbreak();
    if (guard == null) {
      throw new ApiError(
          409,
          "the jailbreak guard is off in this config (classifier.jailbreak)",
          null,
          "classifier_disabled");
    }
    JailbreakVerdict v = join(guard.check(List.of(text)), "jailbreak guard");
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("is_jailbreak", v.blocked());
    o.put("risk_score", v.risk());
    o.put("confidence", v.blocked() ? v.risk() : 1.0 - v.risk());
    o.put("threshold", guard.threshold());
    o.putPOJO("detection_types", v.blocked() ? List.of("jailbreak") : List.of());
    o.put("processing_time_ms", ms(start));
    return o;
  }

  private static ObjectNode batch(RouterSnapshot snap, JsonNode req) {
    long start = System.nanoTime();
    JsonNode texts = req.get("texts");
    if (texts == null || !texts.isArray() || texts.isEmpty()) {
      throw new ApiError(
          400, "'texts' must be a non-empty array of strings", "texts", "invalid_texts");
    }
    if (texts.size() > MAX_BATCH_TEXTS) {
      throw new ApiError(
          400,
          "at most " + MAX_BATCH_TEXTS + " texts per batch, got " + texts.size(),
          "texts",
          "too_many_texts");
    }
    String task = req.path("task_type").asText("intent");
    ObjectNode o = Json.MAPPER.createObjectNode();
    ArrayNode results = o.putArray("results");
    for (JsonNode t : texts) {
      if (!t.isTextual() || t.asText().isEmpty()) {
        throw new ApiError(
            400, "every entry of 'texts' must be a non-empty string", "texts", "invalid_texts");
      }
      results.add(
          switch (task) {
            case "intent" -> intent(snap, t.asText(), returnProbabilities(req));
            case "pii" -> pii(snap, t.asText());
            case "security" -> security(snap, t.asText());
            default ->
                throw new ApiError(
                    400,
                    "task_type must be intent, pii or security, got '" + task + "'",
                    "task_type",
                    "invalid_task_type");
          });
    }
    o.put("task_type", task);
    o.put("total_count", results.size());
    o.put("processing_time_ms", ms(start));
    return o;
  }

  // ---- request handling ------------------------------------------------------------------

  private void authorize(HttpExchange ex) {
    if (token == null) {
      return;
    }
    String given = ex.getRequestHeaders().getFirst("Authorization");
    byte[] g = given == null ? new byte[0] : given.getBytes(StandardCharsets.UTF_8);
    // MessageDigest.isEqual takes time independent of where the bytes differ.
    if (!MessageDigest.isEqual(g, token)) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      throw new ApiError(401, "missing or wrong bearer token", null, "unauthorized");
    }
  }

  private static void requireMethod(String method, String wanted) {
    if (!wanted.equals(method)) {
      throw new ApiError(405, "use " + wanted, null, "method_not_allowed");
    }
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > MAX_BODY_BYTES) {
          discardRest(ex.getRequestBody());
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw new ApiError(400, "bad Content-Length", null, "bad_request");
      }
    }
    byte[] bytes;
    InputStream in = ex.getRequestBody();
    bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    if (bytes.length > MAX_BODY_BYTES) {
      discardRest(in);
      throw tooLarge();
    }
    if (bytes.length == 0) {
      throw new ApiError(400, "a JSON body is required", null, "invalid_json");
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new ApiError(400, "the body must be a JSON object", null, "invalid_json");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ApiError(400, "invalid JSON: " + e.getOriginalMessage(), null, "invalid_json");
    }
  }

  /**
   * Reads and drops what the client is still sending (up to {@link #MAX_DISCARD_BYTES}), so the 413
   * reaches it: closing a socket with unread input resets the connection and the client would see a
   * reset instead of the answer.
   */
  private static void discardRest(InputStream in) throws IOException {
    // read(), not skip(): the JDK server's skip() can run past the end of this request's body.
    byte[] buffer = new byte[64 * 1024];
    long left = MAX_DISCARD_BYTES;
    int n;
    while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= n;
    }
  }

  private static final long MAX_DISCARD_BYTES = 16L * 1024 * 1024;

  private static ApiError tooLarge() {
    return new ApiError(
        413, "body larger than " + MAX_BODY_BYTES + " bytes", null, "body_too_large");
  }

  private static String text(JsonNode req, String field) {
    JsonNode t = req.get(field);
    if (t == null || !t.isTextual() || t.asText().isEmpty()) {
      throw new ApiError(400, "'" + field + "' must be a non-empty string", field, "invalid_text");
    }
    return t.asText();
  }

  private static boolean returnProbabilities(JsonNode req) {
    return req.path("options").path("return_probabilities").asBoolean(true);
  }

  private static <T> T join(CompletableFuture<T> f, String what) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw new ApiError(
          503, what + " could not answer: " + e.getCause(), null, "classifier_unavailable");
    }
  }

  private static double ms(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0;
  }

  private static byte[] json(Object node) {
    try {
      return Json.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange ex, int status, byte[] json) throws IOException {
    ex.getResponseHeaders().set("content-type", "application/json");
    ex.sendResponseHeaders(status, json.length);
    ex.getResponseBody().write(json);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** A client error: status, message, parameter and code of the JSON error body. */
  static final class ApiError extends RuntimeException {
    final int status;
    final String param;
    final String code;

    ApiError(int status, String message, String param, String code) {
      super(message);
      this.status = status;
      this.param = param;
      this.code = code;
    }
  }
}

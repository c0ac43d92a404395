package io.semroute.peer.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible stand-in for vLLM, for tests and docker-compose. It answers {@code
 * /v1/chat/completions} and {@code /v1/completions} (JSON, or SSE when {@code stream} is true,
 * ending with a usage chunk and {@code [DONE]}) and {@code /v1/models}.
 *
 * <p>It tells the caller what it received: the response {@code model} is the model it served,
 * headers {@code x-mock-instance} / {@code x-mock-model} name the instance and model, and a {@code
 * mock} object (in the JSON body, or in the first SSE chunk) echoes the received request's
 * routing-relevant parts — model, reasoning fields, system prompt, content-length and body size —
 * so tests can assert what actually arrived upstream.
 *
 * <p>Like vLLM it also serves the agent APIs, {@code /v1/messages} (Anthropic Messages) and {@code
 * /v1/responses} (OpenAI Responses, with stored responses for {@code previous_response_id}), JSON
 * and SSE ({@link MockAgentApis}), unless started chat-only (a backend the router must translate
 * for: those paths are then vLLM's plain 404). A request header {@code x-mock-tool-call: true} on a
 * request with {@code tools} makes the answer call the first tool, in any API, unless the request
 * hands tool results back (the loop then ends with a text answer).
 *
 * <p>Failures on request, for tests of what must not be cached: a request header {@code
 * x-mock-status: N} answers with an OpenAI-style error of status N, and {@code x-mock-cut-after: K}
 * ends a streamed answer after K content chunks, without the final chunk and {@code [DONE]} (a cut
 * stream).
 */
public final class MockVllmServer implements AutoCloseable {
  private final String instance;
  private final List<String> models;
  private final int sseChunks;
  private final boolean chatOnly;
  private final MockAgentApis agentApis;
  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "mock-vllm");
            t.setDaemon(true);
            return t;
          });
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong served = new AtomicLong();

  /** Status every completion answers with (a backend that keeps failing), or 0 for none. */
  private volatile int failing;

  /**
   * The request headers of the last completion, Messages or Responses request, names in lower case.
   */
  private volatile Map<String, List<String>> lastHeaders = Map.of();

  /**
   * @param instance name reported in {@code x-mock-instance}
   * @param models models this instance serves (others get vLLM's 404)
   * @param sseChunks content chunks per streamed answer
   */
  public MockVllmServer(
      InetSocketAddress address, String instance, List<String> models, int sseChunks)
      throws IOException {
    this(address, instance, models, sseChunks, false);
  }

  /**
   * @param chatOnly serve Chat Completions and completions only, as a server without the agent APIs
   */
  public MockVllmServer(
      InetSocketAddress address,
      String instance,
      List<String> models,
      int sseChunks,
      boolean chatOnly)
      throws IOException {
    this.instance = instance;
    this.models = List.copyOf(models);
    this.sseChunks = Math.max(1, sseChunks);
    this.chatOnly = chatOnly;
    this.agentApis = new MockAgentApis(instance, this.sseChunks);
    this.server = HttpServer.create(address, 128);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
  }

  public MockVllmServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * From now on every completion (and Messages or Responses request) is answered with an
   * OpenAI-style error of this status, as a backend in trouble does; 0 answers normally again.
   * {@code x-mock-status} does the same per request.
   */
  public MockVllmServer failWith(int status) {
    this.failing = status;
    return this;
  }

  /** Completions answered so far. */
  public long served() {
    return served.get();
  }

  /**
   * The request headers of the last completion request it received (names in lower case), so a test
   * can check what reached the backend; empty before the first.
   */
  public Map<String, List<String>> lastHeaders() {
    return lastHeaders;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if ("GET".equals(method) && "/v1/models".equals(path)) {
        sendJson(ex, 200, modelList());
      } else if ("POST".equals(method)
          && ("/v1/chat/completions".equals(path) || "/v1/completions".equals(path))) {
        completion(ex, path.equals("/v1/chat/completions"));
      } else if ("POST".equals(method)
          && !chatOnly
          && ("/v1/messages".equals(path) || "/v1/responses".equals(path))) {
        agent(ex, path.equals("/v1/messages"));
      } else if ("GET".equals(method) && "/health".equals(path)) {
        ex.getResponseHeaders().set("x-mock-instance", instance);
        ex.sendResponseHeaders(200, -1);
      } else {
        // Echo unknown paths so tests can check the router let them through untouched.
        byte[] body = ex.getRequestBody().readAllBytes();
        ObjectNode echo = MockJson.MAPPER.createObjectNode();
        echo.put("path", ex.getRequestURI().toString());
        echo.put("method", method);
        echo.put("body", new String(body, StandardCharsets.UTF_8));
        ObjectNode headers = echo.putObject("headers");
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        sendJson(ex, 404, echo);
      }
    }
  }

  private void recordHeaders(HttpExchange ex) {
    Map<String, List<String>> headers = new TreeMap<>();
    ex.getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    lastHeaders = Collections.unmodifiableMap(headers);
  }

  /**
   * Answers with the error status {@code x-mock-status} or {@link #failWith} asks for, in every API
   * the mock serves; false when the request is to be answered normally.
   */
  private boolean failed(HttpExchange ex) throws IOException {
    String forced = ex.getRequestHeaders().getFirst("x-mock-status");
    if (forced == null && failing != 0) {
      forced = Integer.toString(failing);
    }
    if (forced == null) {
      return false;
    }
    int status = Integer.parseInt(forced.strip());
    sendJson(ex, status, error("mock failure on request", "InternalServerError", status));
    return true;
  }

  /**
   * The request's JSON when the mock answers it normally; null once it has answered with an error
   * instead: 400 for bad JSON, 404 for a model it does not serve, or the failure a test asked for
   * (which, like a real backend's, counts as served).
   */
  private JsonNode admitted(HttpExchange ex, byte[] raw) throws IOException {
    recordHeaders(ex);
    JsonNode req;
    try {
      req = MockJson.MAPPER.readTree(raw);
    } catch (IOException e) {
      sendJson(ex, 400, error("invalid JSON: " + e.getMessage(), "BadRequestError", 400));
      return null;
    }
    String model = req.path("model").asText("");
    if (!models.contains(model)) {
      sendJson(ex, 404, error("The model `" + model + "` does not exist.", "NotFoundError", 404));
      return null;
    }
    served.incrementAndGet();
    return failed(ex) ? null : req;
  }

  private void agent(HttpExchange ex, boolean messages) throws IOException {
    byte[] raw = ex.getRequestBody().readAllBytes();
    JsonNode req = admitted(ex, raw);
    if (req == null) {
      return;
    }
    String model = req.path("model").asText("");
    ex.getResponseHeaders().set("x-mock-instance", instance);
    ex.getResponseHeaders().set("x-mock-model", model);
    ObjectNode echo = echo(ex, req, raw);
    copy(req, echo, "thinking");
    copy(req, echo, "reasoning");
    copy(req, echo, "previous_response_id");
    echo.put("path", ex.getRequestURI().getPath());
    boolean toolCall = "true".equals(ex.getRequestHeaders().getFirst("x-mock-tool-call"));
    long promptTokens = Math.max(1, raw.length / 4);
    if (messages) {
      agentApis.messages(ex, req, model, echo, toolCall, promptTokens);
    } else {
      agentApis.responses(ex, req, model, echo, toolCall, promptTokens);
    }
  }

  private void completion(HttpExchange ex, boolean chat) throws IOException {
    byte[] raw = ex.getRequestBody().readAllBytes();
    JsonNode req = admitted(ex, raw);
    if (req == null) {
      return;
    }
    String model = req.path("model").asText("");
    String cut = ex.getRequestHeaders().getFirst("x-mock-cut-after");
    int cutAfter = cut == null ? -1 : Integer.parseInt(cut.strip());
    ObjectNode echo = echo(ex, req, raw);
    long promptTokens = Math.max(1, raw.length / 4);
    long completionTokens = sseChunks;
    String id = (chat ? "chatcmpl-" : "cmpl-") + instance + "-" + ids.incrementAndGet();
    ex.getResponseHeaders().set("x-mock-instance", instance);
    ex.getResponseHeaders().set("x-mock-model", model);
    if (req.path("stream").asBoolean(false)) {
      stream(
          ex,
          chat,
          id,
          model,
          echo,
          promptTokens,
          completionTokens,
          cutAfter,
          req.path("stream_options").path("include_usage").asBoolean(false),
          chat && "true".equals(ex.getRequestHeaders().getFirst("x-mock-tool-call"))
              ? MockAgentApis.toolToCall(req)
              : null);
      return;
    }
    ObjectNode resp = MockJson.MAPPER.createObjectNode();
    resp.put("id", id);
    resp.put("object", chat ? "chat.completion" : "text_completion");
    resp.put("created", System.currentTimeMillis() / 1000);
    resp.put("model", model);
    ObjectNode choice = resp.putArray("choices").addObject();
    choice.put("index", 0);
    String text = answer(model);
    String tool =
        chat && "true".equals(ex.getRequestHeaders().getFirst("x-mock-tool-call"))
            ? MockAgentApis.toolToCall(req)
            : null;
    if (tool != null) {
      ObjectNode msg = choice.putObject("message");
      msg.put("role", "assistant");
      msg.putNull("content");
      ObjectNode call = msg.putArray("tool_calls").addObject();
      call.put("id", "chatcmpl-tool-" + instance + "-" + ids.incrementAndGet());
      call.put("type", "function");
      call.putObject("function").put("name", tool).put("arguments", "{}");
      choice.put("finish_reason", "tool_calls");
    } else if (chat) {
      ObjectNode msg = choice.putObject("message");
      msg.put("role", "assistant");
      msg.put("content", text);
      choice.put("finish_reason", "stop");
    } else {
      choice.put("text", text);
      choice.put("finish_reason", "stop");
    }
    usage(resp.putObject("usage"), promptTokens, completionTokens);
    resp.set("mock", echo);
    sendJson(ex, 200, resp);
  }

  private void stream(
      HttpExchange ex,
      boolean chat,
      String id,
      String model,
      ObjectNode echo,
      long promptTokens,
      long completionTokens,
      int cutAfter,
      boolean includeUsage,
      String tool)
      throws IOException {
    ex.getResponseHeaders().set("content-type", "text/event-stream");
    ex.getResponseHeaders().set("cache-control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    if (tool != null) {
      // As vLLM streams a tool call: id and name first, the arguments after.
      ObjectNode first = chunk(true, id, model);
      ObjectNode call =
          ((ObjectNode) first.get("choices").get(0))
              .putObject("delta")
              .put("role", "assistant")
              .putArray("tool_calls")
              .addObject();
      call.put("index", 0);
      call.put("id", "chatcmpl-tool-" + instance + "-" + ids.incrementAndGet());
      call.put("type", "function");
      call.putObject("function").put("name", tool);
      first.set("mock", echo);
      event(out, first);
      ObjectNode args = chunk(true, id, model);
      ObjectNode piece =
          ((ObjectNode) args.get("choices").get(0))
              .putObject("delta")
              .putArray("tool_calls")
              .addObject();
      piece.put("index", 0);
      piece.putObject("function").put("arguments", "{}");
      event(out, args);
    }
    for (int i = 0; i < (tool == null ? sseChunks : 0); i++) {
      if (i == cutAfter) {
        return; // the connection ends mid-answer: no final chunk, no [DONE]
      }
      ObjectNode chunk = chunk(chat, id, model);
      ObjectNode choice = (ObjectNode) chunk.get("choices").get(0);
      String piece = "token" + i + " ";
      if (chat) {
        ObjectNode delta = choice.putObject("delta");
        if (i == 0) {
          delta.put("role", "assistant");
        }
        delta.put("content", piece);
      } else {
        choice.put("text", piece);
      }
      choice.putNull("finish_reason");
      if (i == 0) {
        chunk.set("mock", echo);
      }
      event(out, chunk);
    }
    ObjectNode last = chunk(chat, id, model);
    ObjectNode lastChoice = (ObjectNode) last.get("choices").get(0);
    if (chat) {
      lastChoice.putObject("delta");
    } else {
      lastChoice.put("text", "");
    }
    lastChoice.put("finish_reason", tool == null ? "stop" : "tool_calls");
    event(out, last);
    // Final usage chunk, as vLLM sends it: only with stream_options.include_usage: true.
    if (includeUsage) {
      ObjectNode usageChunk = chunk(chat, id, model);
      usageChunk.putArray("choices");
      usage(usageChunk.putObject("usage"), promptTokens, completionTokens);
      event(out, usageChunk);
    }
    out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private ObjectNode chunk(boolean chat, String id, String model) {
    ObjectNode chunk = MockJson.MAPPER.createObjectNode();
    chunk.put("id", id);
    chunk.put("object", chat ? "chat.completion.chunk" : "text_completion");
    chunk.put("created", System.currentTimeMillis() / 1000);
    chunk.put("model", model);
    chunk.putArray("choices").addObject().put("index", 0);
    return chunk;
  }

  static void event(OutputStream out, JsonNode data) throws IOException {
    out.write(
        ("data: " + MockJson.MAPPER.writeValueAsString(data) + "\n\n")
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  String answer(String model) {
    return "mock answer from " + instance + " serving " + model;
  }

  private ObjectNode echo(HttpExchange ex, JsonNode req, byte[] raw) {
    ObjectNode echo = MockJson.MAPPER.createObjectNode();
    echo.put("instance", instance);
    echo.put("received_model", req.path("model").asText());
    String contentLength = ex.getRequestHeaders().getFirst("content-length");
    if (contentLength == null) {
      echo.putNull("content_length");
    } else {
      echo.put("content_length", contentLength);
    }
    echo.put("body_bytes", raw.length);
    copy(req, echo, "chat_template_kwargs");
    copy(req, echo, "reasoning_effort");
    JsonNode messages = req.get("messages");
    if (messages instanceof ArrayNode list) {
      echo.put("messages", list.size());
      for (JsonNode m : list) {
        if ("system".equals(m.path("role").asText())) {
          echo.put("system_prompt", MockJson.contentText(m.get("content")));
          break;
        }
      }
    }
    echo.put("x_selected_model", ex.getRequestHeaders().getFirst("x-selected-model"));
    return echo;
  }

  static void copy(JsonNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field));
    }
  }

  private static void usage(ObjectNode u, long prompt, long completion) {
    u.put("prompt_tokens", prompt);
    u.put("completion_tokens", completion);
    u.put("total_tokens", prompt + completion);
  }

  private ObjectNode modelList() {
    ObjectNode root = MockJson.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String m : models) {
      ObjectNode e = data.addObject();
      e.put("id", m);
      e.put("object", "model");
      e.put("owned_by", "vllm");
    }
    return root;
  }

  static ObjectNode error(String message, String type, int code) {
    ObjectNode root = MockJson.MAPPER.createObjectNode();
    root.put("object", "error");
    root.put("message", message);
    root.put("type", type);
    root.put("code", code);
    return root;
  }

  static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = MockJson.MAPPER.writeValueAsBytes(body);
    ex.getResponseHeaders().set("content-type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}

package io.semroute.peer.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mock's {@code /v1/messages} and {@code /v1/responses}, shaped as vLLM (and the APIs'
 * references) send them: a {@code message} or {@code response} object, or the API's event stream
 * when {@code stream} is true ({@code message_start} … {@code message_stop}; {@code
 * response.created} … {@code response.completed}). The answer is the same text as the chat
 * endpoint's ({@code token0 token1 ...} when streamed), or a call of the first tool when asked.
 * Responses are stored (unless {@code store: false}) so a follow-up's {@code previous_response_id}
 * is known; an unknown one is the API's 400, as a backend that never saw it answers.
 */
final class MockAgentApis {
  private final String instance;
  private final int sseChunks;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, String> stored = new ConcurrentHashMap<>();

  MockAgentApis(String instance, int sseChunks) {
    this.instance = instance;
    this.sseChunks = sseChunks;
  }

  /**
   * The tool an answer calls: the first of {@code tools} (any API's shape), unless the request
   * hands tool results back, or null.
   */
  static String toolToCall(JsonNode req) {
    JsonNode tools = req.path("tools");
    if (!tools.isArray() || tools.isEmpty() || handsResultsBack(req)) {
      return null;
    }
    JsonNode first = tools.get(0);
    JsonNode name = first.has("function") ? first.path("function").get("name") : first.get("name");
    return name == null ? null : name.asText();
  }

  /** Tool results after the last assistant turn, in any API's shape (a user text may follow). */
  private static boolean handsResultsBack(JsonNode req) {
    JsonNode turns = req.path("messages").isArray() ? req.get("messages") : req.path("input");
    if (!turns.isArray()) {
      return false;
    }
    for (int i = turns.size() - 1; i >= 0; i--) {
      JsonNode turn = turns.get(i);
      String role = turn.path("role").asText();
      String type = turn.path("type").asText();
      if (role.equals("tool") || type.equals("function_call_output")) {
        return true;
      }
      for (JsonNode block : turn.path("content")) {
        if ("tool_result".equals(block.path("type").asText())) {
          return true;
        }
      }
      if (role.equals("assistant") || type.equals("function_call")) {
        return false;
      }
    }
    return false;
  }

  private String answerText(String model) {
    return "mock answer from " + instance + " serving " + model;
  }

  // ---------------------------------------------------------------- Messages

  void messages(
      HttpExchange ex,
      JsonNode req,
      String model,
      ObjectNode echo,
      boolean toolAsked,
      long promptTokens)
      throws IOException {
    String tool = toolAsked ? toolToCall(req) : null;
    long n = ids.incrementAndGet();
    String id = "msg_" + instance + "_" + n;
    String toolId = "toolu_" + instance + "_" + n;
    long outputTokens = sseChunks;
    ObjectNode message = MockJson.MAPPER.createObjectNode();
    message.put("id", id);
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", model);
    ArrayNode content = message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    ObjectNode usage = message.putObject("usage");
    usage.put("input_tokens", promptTokens);
    usage.put("output_tokens", 0);
    message.set("mock", echo);
    String stop = tool == null ? "end_turn" : "tool_use";
    if (!req.path("stream").asBoolean(false)) {
      if (tool == null) {
        content.addObject().put("type", "text").put("text", answerText(model));
      } else {
        ObjectNode use = content.addObject();
        use.put("type", "tool_use").put("id", toolId).put("name", tool);
        use.putObject("input");
      }
      message.put("stop_reason", stop);
      usage.put("output_tokens", outputTokens);
      MockVllmServer.sendJson(ex, 200, message);
      return;
    }
    OutputStream out = startStream(ex);
    ObjectNode start = MockJson.MAPPER.createObjectNode();
    start.put("type", "message_start");
    start.set("message", message);
    event(out, "message_start", start);
    ObjectNode block = MockJson.MAPPER.createObjectNode();
    block.put("type", "content_block_start").put("index", 0);
    if (tool == null) {
      block.putObject("content_block").put("type", "text").put("text", "");
    } else {
      ObjectNode use = block.putObject("content_block");
      use.put("type", "tool_use").put("id", toolId).put("name", tool);
      use.putObject("input");
    }
    event(out, "content_block_start", block);
    if (tool == null) {
      for (int i = 0; i < sseChunks; i++) {
        ObjectNode delta = MockJson.MAPPER.createObjectNode();
        delta.put("type", "content_block_delta").put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", "token" + i + " ");
        event(out, "content_block_delta", delta);
      }
    } else {
      ObjectNode delta = MockJson.MAPPER.createObjectNode();
      delta.put("type", "content_block_delta").put("index", 0);
      delta.putObject("delta").put("type", "input_json_delta").put("partial_json", "{}");
      event(out, "content_block_delta", delta);
    }
    ObjectNode stopBlock = MockJson.MAPPER.createObjectNode();
    stopBlock.put("type", "content_block_stop").put("index", 0);
    event(out, "content_block_stop", stopBlock);
    ObjectNode messageDelta = MockJson.MAPPER.createObjectNode();
    messageDelta.put("type", "message_delta");
    messageDelta.putObject("delta").put("stop_reason", stop).putNull("stop_sequence");
    messageDelta.putObject("usage").put("output_tokens", outputTokens);
    event(out, "message_delta", messageDelta);
    event(out, "message_stop", MockJson.MAPPER.createObjectNode().put("type", "message_stop"));
  }

  // ---------------------------------------------------------------- Responses

  void responses(
      HttpExchange ex,
      JsonNode req,
      String model,
      ObjectNode echo,
      boolean toolAsked,
      long promptTokens)
      throws IOException {
    JsonNode previous = req.get("previous_response_id");
    if (previous != null && previous.isTextual() && !stored.containsKey(previous.asText())) {
      ObjectNode error = MockJson.MAPPER.createObjectNode();
      ObjectNode e = error.putObject("error");
      e.put("message", "Previous response with id '" + previous.asText() + "' not found.");
      e.put("type", "invalid_request_error");
      e.put("param", "previous_response_id");
      e.put("code", "previous_response_not_found");
      MockVllmServer.sendJson(ex, 400, error);
      return;
    }
    String tool = toolAsked ? toolToCall(req) : null;
    long n = ids.incrementAndGet();
    String id = "resp_" + instance + "_" + n;
    ObjectNode response = response(req, id, model);
    response.set("mock", echo);
    ObjectNode item;
    if (tool == null) {
      item = MockJson.MAPPER.createObjectNode();
      item.put("id", "msg_" + instance + "_" + n);
      item.put("type", "message");
      item.put("status", "completed");
      item.put("role", "assistant");
      item.putArray("content").add(outputText(answerText(model)));
    } else {
      item = MockJson.MAPPER.createObjectNode();
      item.put("id", "fc_" + instance + "_" + n);
      item.put("type", "function_call");
      item.put("status", "completed");
      item.put("arguments", "{}");
      item.put("call_id", "call_" + instance + "_" + n);
      item.put("name", tool);
    }
    ObjectNode usage = MockJson.MAPPER.createObjectNode();
    usage.put("input_tokens", promptTokens);
    usage.putObject("input_tokens_details").put("cached_tokens", 0);
    usage.put("output_tokens", sseChunks);
    usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
    usage.put("total_tokens", promptTokens + sseChunks);
    if (!req.path("store").isBoolean() || req.path("store").asBoolean()) {
      stored.put(id, model);
    }
    if (!req.path("stream").asBoolean(false)) {
      response.put("status", "completed");
      response.withArray("output").add(item);
      response.set("usage", usage);
      MockVllmServer.sendJson(ex, 200, response);
      return;
    }
    OutputStream out = startStream(ex);
    int[] seq = {0};
    responseEvent(out, seq, "response.created", response);
    responseEvent(out, seq, "response.in_progress", response);
    ObjectNode added = item.deepCopy();
    added.put("status", "in_progress");
    String itemId = item.get("id").asText();
    if (tool == null) {
      added.putArray("content");
      itemEvent(out, seq, "response.output_item.added", added);
      ObjectNode partAdded = located(seq, "response.content_part.added", itemId);
      partAdded.put("content_index", 0);
      partAdded.set("part", outputText(""));
      event(out, "response.content_part.added", partAdded);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < sseChunks; i++) {
        String piece = "token" + i + " ";
        text.append(piece);
        ObjectNode delta = located(seq, "response.output_text.delta", itemId);
        delta.put("content_index", 0);
        delta.put("delta", piece);
        delta.putArray("logprobs");
        event(out, "response.output_text.delta", delta);
      }
      ((ObjectNode) item.withArray("content").get(0)).put("text", text.toString());
      ObjectNode done = located(seq, "response.output_text.done", itemId);
      done.put("content_index", 0);
      done.put("text", text.toString());
      done.putArray("logprobs");
      event(out, "response.output_text.done", done);
      ObjectNode partDone = located(seq, "response.content_part.done", itemId);
      partDone.put("content_index", 0);
      partDone.set("part", item.withArray("content").get(0));
      event(out, "response.content_part.done", partDone);
    } else {
      added.put("arguments", "");
      itemEvent(out, seq, "response.output_item.added", added);
      ObjectNode delta = located(seq, "response.function_call_arguments.delta", itemId);
      delta.put("delta", "{}");
      event(out, "response.function_call_arguments.delta", delta);
      ObjectNode done = located(seq, "response.function_call_arguments.done", itemId);
      done.put("name", tool);
      done.put("arguments", "{}");
      event(out, "response.function_call_arguments.done", done);
    }
    itemEvent(out, seq, "response.output_item.done", item);
    response.put("status", "completed");
    response.withArray("output").add(item);
    response.set("usage", usage);
    responseEvent(out, seq, "response.completed", response);
  }

  /** A response echoing the request's settings, as the API's reference shows it. */
  private static ObjectNode response(JsonNode req, String id, String model) {
    ObjectNode r = MockJson.MAPPER.createObjectNode();
    r.put("id", id);
    r.put("object", "response");
    r.put("created_at", System.currentTimeMillis() / 1000);
    r.put("status", "in_progress");
    r.putNull("error");
    r.putNull("incomplete_details");
    r.set("instructions", req.path("instructions").isTextual() ? req.get("instructions") : null);
    r.putNull("max_output_tokens");
    r.put("model", model);
    r.putArray("output");
    r.put("parallel_tool_calls", true);
    r.set(
        "previous_response_id",
        req.path("previous_response_id").isTextual() ? req.get("previous_response_id") : null);
    ObjectNode reasoning = r.putObject("reasoning");
    reasoning.set("effort", req.path("reasoning").get("effort"));
    reasoning.putNull("summary");
    r.put("store", !req.path("store").isBoolean() || req.path("store").asBoolean());
    r.put("temperature", 1.0);
    r.putObject("text").putObject("format").put("type", "text");
    r.put("tool_choice", "auto");
    r.set(
        "tools",
        req.path("tools").isArray() ? req.get("tools") : MockJson.MAPPER.createArrayNode());
    r.put("top_p", 1.0);
    r.put("truncation", "disabled");
    r.putNull("usage");
    r.putNull("user");
    r.putObject("metadata");
    return r;
  }

  private static ObjectNode outputText(String text) {
    ObjectNode p = MockJson.MAPPER.createObjectNode();
    p.put("type", "output_text");
    p.putArray("annotations");
    p.putArray("logprobs");
    p.put("text", text);
    return p;
  }

  private static ObjectNode located(int[] seq, String type, String itemId) {
    ObjectNode e = MockJson.MAPPER.createObjectNode();
    e.put("type", type);
    e.put("sequence_number", seq[0]++);
    e.put("item_id", itemId);
    e.put("output_index", 0);
    return e;
  }

  private static void responseEvent(OutputStream out, int[] seq, String type, ObjectNode r)
      throws IOException {
    ObjectNode e = MockJson.MAPPER.createObjectNode();
    e.put("type", type);
    e.put("sequence_number", seq[0]++);
    e.set("response", r.deepCopy());
    event(out, type, e);
  }

  private static void itemEvent(OutputStream out, int[] seq, String type, ObjectNode item)
      throws IOException {
    ObjectNode e = MockJson.MAPPER.createObjectNode();
    e.put("type", type);
    e.put("sequence_number", seq[0]++);
    e.put("output_index", 0);
    e.set("item", item.deepCopy());
    event(out, type, e);
  }

  // ---------------------------------------------------------------- SSE

  private static OutputStream startStream(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("content-type", "text/event-stream");
    ex.getResponseHeaders().set("cache-control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    return ex.getResponseBody();
  }

  private static void event(OutputStream out, String name, JsonNode data) throws IOException {
    out.write(
        ("event: " + name + "\ndata: " + MockJson.MAPPER.writeValueAsString(data) + "\n\n")
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}

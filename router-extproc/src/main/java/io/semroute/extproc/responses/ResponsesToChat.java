package io.semroute.extproc.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.clientapi.ClientRequest;
import io.semroute.extproc.clientapi.TranslatedRequest;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.Json;
import java.util.List;

/**
 * Turns a Responses request into a Chat Completions request for a backend without {@code
 * /v1/responses}. {@code instructions} becomes the first system message; input items become chat
 * messages in order, consecutive {@code function_call} items joining the assistant message before
 * them as {@code tool_calls}, each {@code function_call_output} a {@code tool} message; reasoning
 * items are dropped (chat templates drop old reasoning too). A {@code previous_response_id}
 * conversation is the router's to supply ({@code earlier}): the backend keeps no state. What Chat
 * Completions cannot carry (built-in tools, file inputs, item references) is a 400, never silently
 * lost.
 */
public final class ResponsesToChat {
  private ResponsesToChat() {}

  /**
   * @param earlier the chat messages of the stored conversation {@code previous_response_id} names
   *     (see {@link Conversations}), or null when the request names none or the router holds none
   */
  public static TranslatedRequest translate(ClientRequest request, List<ObjectNode> earlier)
      throws BadRequestException {
    if (request.previousResponseId() != null && earlier == null) {
      throw new BadRequestException(
          400,
          "Previous response with id '" + request.previousResponseId() + "' not found.",
          "previous_response_id",
          "previous_response_not_found");
    }
    ObjectNode in = request.body();
    if (in.path("background").asBoolean(false)) {
      throw untranslatable("a background response", "background");
    }
    JsonNode conversation = in.get("conversation");
    if (conversation != null && !conversation.isNull()) {
      throw untranslatable("a conversation object", "conversation");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", request.model());
    ArrayNode messages = out.putArray("messages");
    JsonNode instructions = in.get("instructions");
    if (instructions != null && instructions.isTextual() && !instructions.asText().isEmpty()) {
      message(messages, "system").put("content", instructions.asText());
    }
    if (earlier != null) {
      earlier.forEach(m -> messages.add(m.deepCopy()));
    }
    JsonNode input = in.get("input");
    if (input != null && input.isTextual()) {
      message(messages, "user").put("content", input.asText());
    } else if (input != null && input.isArray()) {
      for (int i = 0; i < input.size(); i++) {
        item(input.get(i), "input[" + i + "]", messages);
      }
    }
    copy(in, "max_output_tokens", out, "max_tokens");
    copy(in, "temperature", out, "temperature");
    copy(in, "top_p", out, "top_p");
    tools(in, out);
    copy(in, "parallel_tool_calls", out, "parallel_tool_calls");
    format(in.path("text").get("format"), out);
    if (request.reasoning() != null) {
      out.put("reasoning_effort", request.reasoning().effort());
    }
    if (request.userId() != null) {
      out.put("user", request.userId());
    }
    if (request.stream()) {
      out.put("stream", true);
      out.putObject("stream_options").put("include_usage", true);
    }
    return new TranslatedRequest(ClientApi.CHAT_COMPLETIONS.path(), out);
  }

  private static void item(JsonNode item, String at, ArrayNode messages)
      throws BadRequestException {
    String type = item.path("type").asText(item.has("role") ? "message" : "");
    switch (type) {
      case "message" -> {
        String role = item.get("role").asText();
        String chatRole = role.equals("developer") ? "system" : role;
        ObjectNode m = message(messages, chatRole);
        content(item.get("content"), role, at, m);
        mergeSystem(messages);
      }
      case "function_call" -> {
        ObjectNode assistant = lastAssistant(messages);
        ArrayNode calls =
            assistant.get("tool_calls") instanceof ArrayNode a
                ? a
                : assistant.putArray("tool_calls");
        ObjectNode call = calls.addObject();
        call.put("id", item.get("call_id").asText());
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", item.get("name").asText());
        function.put("arguments", item.get("arguments").asText());
      }
      case "function_call_output" -> {
        ObjectNode tool = message(messages, "tool");
        tool.put("tool_call_id", item.get("call_id").asText());
        tool.put("content", outputText(item.get("output"), at));
      }
      case "reasoning" -> {
        // Reasoning of earlier turns: chat templates drop it, so does the translation.
      }
      default -> throw untranslatable("an input item of type '" + type + "'", at);
    }
  }

  /**
   * A system (or developer) message right after another joins it: many chat templates accept one
   * system message only, at the start, and {@code instructions} already made one.
   */
  private static void mergeSystem(ArrayNode messages) {
    int n = messages.size();
    if (n < 2
        || !"system".equals(messages.get(n - 1).path("role").asText())
        || !"system".equals(messages.get(n - 2).path("role").asText())) {
      return;
    }
    ObjectNode previous = (ObjectNode) messages.get(n - 2);
    previous.put(
        "content",
        previous.path("content").asText() + "\n\n" + messages.get(n - 1).path("content").asText());
    messages.remove(n - 1);
  }

  /** The assistant message function calls join: the last message if it is one, else a new one. */
  private static ObjectNode lastAssistant(ArrayNode messages) {
    if (!messages.isEmpty()
        && messages.get(messages.size() - 1) instanceof ObjectNode last
        && "assistant".equals(last.path("role").asText())) {
      return last;
    }
    ObjectNode m = message(messages, "assistant");
    m.putNull("content");
    return m;
  }

  private static void content(JsonNode content, String role, String at, ObjectNode m)
      throws BadRequestException {
    if (content.isTextual()) {
      m.put("content", content.asText());
      return;
    }
    boolean user = role.equals("user");
    ArrayNode parts = Json.MAPPER.createArrayNode();
    StringBuilder text = new StringBuilder();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String partAt = at + ".content[" + j + "]";
      switch (part.path("type").asText()) {
        case "input_text", "output_text" -> {
          ObjectNode p = parts.addObject();
          p.put("type", "text");
          p.put("text", part.get("text").asText());
          text.append(part.get("text").asText());
        }
        case "refusal" -> text.append(part.path("refusal").asText());
        case "input_image" -> {
          String url = part.path("image_url").asText("");
          if (!user || url.isEmpty()) {
            throw untranslatable("an image given by file id", partAt);
          }
          ObjectNode p = parts.addObject();
          p.put("type", "image_url");
          ObjectNode image = p.putObject("image_url");
          image.put("url", url);
          if (part.path("detail").isTextual()) {
            image.put("detail", part.get("detail").asText());
          }
        }
        default -> throw untranslatable("a '" + part.path("type").asText() + "' part", partAt);
      }
    }
    boolean onlyText = true;
    for (JsonNode p : parts) {
      onlyText &= p.path("type").asText().equals("text");
    }
    if (!user || onlyText && parts.size() == 1) {
      m.put("content", text.toString());
    } else {
      m.set("content", parts);
    }
  }

  private static String outputText(JsonNode output, String at) throws BadRequestException {
    if (output.isTextual()) {
      return output.asText();
    }
    StringBuilder text = new StringBuilder();
    for (int k = 0; k < output.size(); k++) {
      JsonNode part = output.get(k);
      if (!"input_text".equals(part.path("type").asText())) {
        throw untranslatable(
            "a function output part of type '" + part.path("type").asText() + "'",
            at + ".output[" + k + "]");
      }
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(part.path("text").asText());
    }
    return text.toString();
  }

  private static void tools(ObjectNode in, ObjectNode out) throws BadRequestException {
    JsonNode tools = in.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      ArrayNode list = out.putArray("tools");
      for (int i = 0; i < tools.size(); i++) {
        JsonNode tool = tools.get(i);
        String type = tool.path("type").asText();
        if (!type.equals("function")) {
          throw untranslatable("the built-in tool '" + type + "'", "tools[" + i + "]");
        }
        ObjectNode entry = list.addObject();
        entry.put("type", "function");
        ObjectNode function = entry.putObject("function");
        function.put("name", tool.get("name").asText());
        if (tool.path("description").isTextual()) {
          function.put("description", tool.get("description").asText());
        }
        JsonNode parameters = tool.get("parameters");
        function.set(
            "parameters",
            parameters == null || parameters.isNull()
                ? Json.MAPPER.createObjectNode()
                : parameters);
        if (tool.path("strict").isBoolean()) {
          function.put("strict", tool.get("strict").asBoolean());
        }
      }
    }
    JsonNode choice = in.get("tool_choice");
    if (choice != null && choice.isTextual()) {
      out.put("tool_choice", choice.asText());
    } else if (choice != null
        && choice.isObject()
        && "function".equals(choice.path("type").asText())) {
      ObjectNode named = out.putObject("tool_choice");
      named.put("type", "function");
      named.putObject("function").put("name", choice.path("name").asText());
    }
    // Other choices (allowed_tools, built-in tools) have no Chat form: the default, auto, applies.
  }

  /** {@code text.format} as {@code response_format}: JSON schema and JSON object modes. */
  private static void format(JsonNode format, ObjectNode out) {
    if (format == null || !format.isObject()) {
      return;
    }
    switch (format.path("type").asText()) {
      case "json_schema" -> {
        ObjectNode rf = out.putObject("response_format");
        rf.put("type", "json_schema");
        ObjectNode schema = rf.putObject("json_schema");
        schema.put("name", format.path("name").asText("response"));
        if (format.has("description")) {
          schema.set("description", format.get("description"));
        }
        schema.set("schema", format.path("schema"));
        if (format.has("strict")) {
          schema.set("strict", format.get("strict"));
        }
      }
      case "json_object" -> out.putObject("response_format").put("type", "json_object");
      default -> {
        // text: Chat Completions' default
      }
    }
  }

  private static ObjectNode message(ArrayNode messages, String role) {
    ObjectNode m = messages.addObject();
    m.put("role", role);
    return m;
  }

  private static void copy(ObjectNode in, String from, ObjectNode out, String to) {
    JsonNode value = in.get(from);
    if (value != null && !value.isNull()) {
      out.set(to, value);
    }
  }

  private static BadRequestException untranslatable(String what, String at) {
    return new BadRequestException(
        400,
        "'"
            + at
            + "': "
            + what
            + " cannot be translated for a backend that only serves Chat Completions.",
        at,
        "invalid_request_error");
  }
}

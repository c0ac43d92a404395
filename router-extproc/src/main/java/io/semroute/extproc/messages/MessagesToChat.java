package io.semroute.extproc.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.clientapi.ClientRequest;
import io.semroute.extproc.clientapi.JsonText;
import io.semroute.extproc.clientapi.TranslatedRequest;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a Messages request into a Chat Completions request for a backend without {@code
 * /v1/messages}. Tool results become {@code tool} messages placed right after the assistant turn
 * that called them (Chat Completions requires that order); {@code thinking} blocks of earlier turns
 * are dropped (chat templates drop old reasoning too) and the {@code thinking} switch is left to
 * the model's reasoning family, which the router sets on the translated body. What Chat Completions
 * cannot carry (server tools, PDF documents) is a 400, never silently lost.
 */
public final class MessagesToChat {
  private MessagesToChat() {}

  public static TranslatedRequest translate(ClientRequest request) throws BadRequestException {
    ObjectNode in = request.body();
    JsonNode mcp = in.get("mcp_servers");
    if (mcp != null && mcp.isArray() && !mcp.isEmpty()) {
      throw new BadRequestException(
          400,
          "mcp_servers: MCP servers cannot be translated for a backend that only serves Chat"
              + " Completions",
          "mcp_servers",
          "invalid_request_error");
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("model", request.model());
    ArrayNode messages = out.putArray("messages");
    if (!request.system().isEmpty()) {
      ObjectNode system = messages.addObject();
      system.put("role", "system");
      system.put("content", request.system());
    }
    JsonNode list = in.get("messages");
    for (int i = 0; i < list.size(); i++) {
      JsonNode message = list.get(i);
      String at = "messages." + i;
      if ("assistant".equals(message.get("role").asText())) {
        assistant(message.get("content"), messages);
      } else {
        user(message.get("content"), messages, at);
      }
    }
    copy(in, "max_tokens", out, "max_tokens");
    copy(in, "temperature", out, "temperature");
    copy(in, "top_p", out, "top_p");
    copy(in, "top_k", out, "top_k");
    copy(in, "stop_sequences", out, "stop");
    tools(in, out);
    if (request.userId() != null) {
      out.put("user", request.userId());
    }
    if (request.stream()) {
      out.put("stream", true);
      out.putObject("stream_options").put("include_usage", true);
    }
    return new TranslatedRequest(ClientApi.CHAT_COMPLETIONS.path(), out);
  }

  private static void user(JsonNode content, ArrayNode messages, String at)
      throws BadRequestException {
    if (content.isTextual()) {
      ObjectNode m = messages.addObject();
      m.put("role", "user");
      m.put("content", content.asText());
      return;
    }
    List<ObjectNode> parts = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String blockAt = at + ".content." + j;
      switch (block.get("type").asText()) {
        case "text" -> parts.add(textPart(block.get("text").asText()));
        case "image" -> parts.add(imagePart(block, blockAt));
        case "document" -> parts.addAll(documentParts(block, blockAt));
        case "tool_result" -> {
          ObjectNode tool = messages.addObject();
          tool.put("role", "tool");
          tool.put("tool_call_id", block.get("tool_use_id").asText());
          tool.put("content", toolResultText(block.get("content"), parts, blockAt));
        }
        case "thinking", "redacted_thinking" -> {
          // Reasoning of earlier turns: chat templates drop it, so does the translation.
        }
        default -> throw untranslatable(block, blockAt);
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    ObjectNode m = messages.addObject();
    m.put("role", "user");
    if (parts.size() == 1 && parts.get(0).path("type").asText().equals("text")) {
      m.put("content", parts.get(0).get("text").asText());
    } else {
      m.putArray("content").addAll(parts);
    }
  }

  private static void assistant(JsonNode content, ArrayNode messages) throws BadRequestException {
    ObjectNode m = messages.addObject();
    m.put("role", "assistant");
    if (content.isTextual()) {
      m.put("content", content.asText());
      return;
    }
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (JsonNode block : content) {
      switch (block.get("type").asText()) {
        case "text" -> text.append(block.get("text").asText());
        case "tool_use" -> {
          ObjectNode call = calls.addObject();
          call.put("id", block.get("id").asText());
          call.put("type", "function");
          ObjectNode function = call.putObject("function");
          function.put("name", block.get("name").asText());
          JsonNode input = block.get("input");
          function.put("arguments", input == null ? "{}" : JsonText.of(input));
        }
        default -> {
          // thinking and redacted_thinking: dropped, as chat templates drop old reasoning
        }
      }
    }
    if (text.length() > 0 || calls.isEmpty()) {
      m.put("content", text.toString());
    } else {
      m.putNull("content");
    }
    if (!calls.isEmpty()) {
      m.set("tool_calls", calls);
    }
  }

  /** A tool result's text; its images go with the user parts that follow the tool messages. */
  private static String toolResultText(JsonNode content, List<ObjectNode> parts, String at)
      throws BadRequestException {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    List<String> texts = new ArrayList<>();
    for (int k = 0; k < content.size(); k++) {
      JsonNode block = content.get(k);
      String type = block.path("type").asText();
      if (type.equals("text")) {
        texts.add(block.get("text").asText());
      } else if (type.equals("image")) {
        parts.add(imagePart(block, at + ".content." + k));
      } else {
        throw untranslatable(block, at + ".content." + k);
      }
    }
    return String.join("\n", texts);
  }

  private static ObjectNode textPart(String text) {
    ObjectNode part = Json.MAPPER.createObjectNode();
    part.put("type", "text");
    part.put("text", text);
    return part;
  }

  /** Base64 images become data URLs, URL images keep their URL. */
  private static ObjectNode imagePart(JsonNode block, String at) throws BadRequestException {
    JsonNode source = block.path("source");
    String url =
        switch (source.path("type").asText()) {
          case "base64" ->
              "data:"
                  + source.path("media_type").asText("image/jpeg")
                  + ";base64,"
                  + source.path("data").asText();
          case "url" -> source.path("url").asText();
          default -> throw untranslatable(block, at);
        };
    ObjectNode part = Json.MAPPER.createObjectNode();
    part.put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  /** Text documents become text parts; other sources (PDF, files) have no Chat equivalent. */
  private static List<ObjectNode> documentParts(JsonNode block, String at)
      throws BadRequestException {
    JsonNode source = block.path("source");
    String type = source.path("type").asText();
    if (type.equals("text")) {
      return List.of(textPart(source.path("data").asText()));
    }
    if (type.equals("content")) {
      JsonNode content = source.get("content");
      if (content != null && content.isTextual()) {
        return List.of(textPart(content.asText()));
      }
      List<ObjectNode> parts = new ArrayList<>();
      for (JsonNode b : content == null ? Json.MAPPER.createArrayNode() : content) {
        if ("text".equals(b.path("type").asText())) {
          parts.add(textPart(b.path("text").asText()));
        }
      }
      return parts;
    }
    throw new BadRequestException(
        400,
        at
            + ": a document with a '"
            + type
            + "' source cannot be translated for a backend that only serves Chat Completions",
        at,
        "invalid_request_error");
  }

  private static void tools(ObjectNode in, ObjectNode out) throws BadRequestException {
    JsonNode tools = in.get("tools");
    if (tools != null && tools.isArray()) {
      ArrayNode list = out.putArray("tools");
      for (int i = 0; i < tools.size(); i++) {
        JsonNode tool = tools.get(i);
        String type = tool.path("type").asText("custom");
        if (!type.equals("custom") || !tool.path("name").isTextual()) {
          throw new BadRequestException(
              400,
              "tools."
                  + i
                  + ": the server tool '"
                  + type
                  + "' cannot be translated for a backend that only serves Chat Completions",
              "tools." + i,
              "invalid_request_error");
        }
        ObjectNode entry = list.addObject();
        entry.put("type", "function");
        ObjectNode function = entry.putObject("function");
        function.put("name", tool.get("name").asText());
        if (tool.path("description").isTextual()) {
          function.put("description", tool.get("description").asText());
        }
        JsonNode schema = tool.get("input_schema");
        function.set("parameters", schema == null ? Json.MAPPER.createObjectNode() : schema);
      }
    }
    JsonNode choice = in.get("tool_choice");
    if (choice == null || !choice.isObject()) {
      return;
    }
    switch (choice.path("type").asText()) {
      case "auto" -> out.put("tool_choice", "auto");
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" -> {
        ObjectNode named = out.putObject("tool_choice");
        named.put("type", "function");
        named.putObject("function").put("name", choice.path("name").asText());
      }
      default -> {
        // an unknown choice: the backend's default (auto) applies
      }
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      out.put("parallel_tool_calls", false);
    }
  }

  private static void copy(ObjectNode in, String from, ObjectNode out, String to) {
    JsonNode value = in.get(from);
    if (value != null && !value.isNull()) {
      out.set(to, value);
    }
  }

  private static BadRequestException untranslatable(JsonNode block, String at) {
    return new BadRequestException(
        400,
        at
            + ": a '"
            + block.path("type").asText()
            + "' block cannot be translated for a backend that only serves Chat Completions",
        at,
        "invalid_request_error");
  }
}

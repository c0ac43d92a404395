package io.semroute.extproc.messages;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.clientapi.ClientRequest;
import io.semroute.extproc.clientapi.ClientRequest.Reasoning;
import io.semroute.extproc.clientapi.ClientRequest.Turn;
import io.semroute.extproc.openai.BadRequestException;
import io.semroute.extproc.openai.Json;
import io.semroute.extproc.openai.ParsedRequest.ClientText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an Anthropic Messages request ({@code POST /v1/messages}) and checks the parts the router
 * relies on. What it rejects becomes a 400 in the Messages error shape ({@link MessagesErrors}),
 * with the field path in Anthropic's style ({@code messages.1.content.0.tool_use_id}).
 */
public final class MessagesParser {
  private MessagesParser() {}

  public static ClientRequest parse(byte[] bytes) throws BadRequestException {
    ObjectNode body = object(bytes);
    String model = requiredString(body, "model");
    JsonNode maxTokens = body.get("max_tokens");
    if (maxTokens == null || maxTokens.isNull()) {
      throw invalid("max_tokens: Field required", "max_tokens");
    }
    if (!maxTokens.canConvertToLong() || !maxTokens.isIntegralNumber() || maxTokens.asLong() < 1) {
      throw invalid("max_tokens: Input should be a positive integer", "max_tokens");
    }
    Reader reader = new Reader();
    String system = reader.system(body.get("system"));
    reader.messages(body.get("messages"));
    return new ClientRequest(
        ClientApi.MESSAGES,
        body,
        model,
        bool(body, "stream"),
        system,
        reader.turns,
        reader.clientTexts,
        reader.toolResults,
        reader.lastToolResultIds,
        userId(body),
        thinking(body.get("thinking")),
        null,
        null);
  }

  static ObjectNode object(byte[] bytes) throws BadRequestException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw invalid("request body is not valid JSON: " + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw invalid("request body could not be read: " + e.getMessage(), null);
    }
    if (root == null || !root.isObject()) {
      throw invalid("request body must be a JSON object", null);
    }
    return (ObjectNode) root;
  }

  private static String requiredString(ObjectNode body, String field) throws BadRequestException {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw invalid(field + ": Field required", field);
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw invalid(field + ": Input should be a non-empty string", field);
    }
    return value.asText();
  }

  private static boolean bool(ObjectNode body, String field) throws BadRequestException {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw invalid(field + ": Input should be a valid boolean", field);
    }
    return value.asBoolean();
  }

  private static String userId(ObjectNode body) throws BadRequestException {
    JsonNode metadata = body.get("metadata");
    if (metadata == null || metadata.isNull()) {
      return null;
    }
    if (!metadata.isObject()) {
      throw invalid("metadata: Input should be an object", "metadata");
    }
    JsonNode user = metadata.get("user_id");
    if (user == null || user.isNull()) {
      return null;
    }
    if (!user.isTextual()) {
      throw invalid("metadata.user_id: Input should be a valid string", "metadata.user_id");
    }
    return user.asText();
  }

  private static Reasoning thinking(JsonNode thinking) throws BadRequestException {
    if (thinking == null || thinking.isNull()) {
      return null;
    }
    if (!thinking.isObject()) {
      throw invalid("thinking: Input should be an object", "thinking");
    }
    String type = thinking.path("type").asText("");
    JsonNode budget = thinking.get("budget_tokens");
    if (budget != null && !budget.isNull() && !budget.isIntegralNumber()) {
      throw invalid("thinking.budget_tokens: Input should be an integer", "thinking.budget_tokens");
    }
    Integer tokens = budget == null || budget.isNull() ? null : budget.asInt();
    return switch (type) {
      case "enabled" -> {
        if (tokens == null) {
          throw invalid("thinking.enabled.budget_tokens: Field required", "thinking.budget_tokens");
        }
        yield new Reasoning(true, null, tokens);
      }
      case "adaptive" -> new Reasoning(true, null, tokens);
      case "disabled" -> new Reasoning(false, null, null);
      default ->
          throw invalid(
              "thinking.type: Input should be 'enabled', 'disabled' or 'adaptive'",
              "thinking.type");
    };
  }

  static BadRequestException invalid(String message, String param) {
    return BadRequestException.invalid(message, param);
  }

  /** Walks {@code system} and {@code messages}, collecting texts as it checks them. */
  private static final class Reader {
    final List<Turn> turns = new ArrayList<>();
    final List<ClientText> clientTexts = new ArrayList<>();
    final List<ClientText> toolResults = new ArrayList<>();
    List<String> lastToolResultIds = List.of();

    String system(JsonNode system) throws BadRequestException {
      if (system == null || system.isNull()) {
        return "";
      }
      if (system.isTextual()) {
        return system.asText();
      }
      if (!system.isArray()) {
        throw invalid("system: Input should be a string or a list of text blocks", "system");
      }
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < system.size(); i++) {
        JsonNode block = system.get(i);
        String at = "system." + i;
        if (!block.isObject() || !"text".equals(block.path("type").asText())) {
          throw invalid(at + ": Input should be a text block", at);
        }
        parts.add(text(block, at));
      }
      return String.join("\n", parts);
    }

    void messages(JsonNode messages) throws BadRequestException {
      if (messages == null || messages.isNull()) {
        throw invalid("messages: Field required", "messages");
      }
      if (!messages.isArray() || messages.isEmpty()) {
        throw invalid("messages: Input should be a non-empty list", "messages");
      }
      for (int i = 0; i < messages.size(); i++) {
        message(messages.get(i), i, i == messages.size() - 1);
      }
    }

    private void message(JsonNode message, int i, boolean last) throws BadRequestException {
      String at = "messages." + i;
      if (!message.isObject()) {
        throw invalid(at + ": Input should be an object", at);
      }
      String role = message.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw invalid(at + ".role: Input should be 'user' or 'assistant'", at + ".role");
      }
      boolean user = role.equals("user");
      JsonNode content = message.get("content");
      String pointer = "/messages/" + i + "/content";
      if (content != null && content.isTextual()) {
        addTurn(role, content.asText());
        if (user) {
          addText(clientTexts, pointer, content.asText());
        }
        return;
      }
      if (content == null || !content.isArray()) {
        throw invalid(
            at + ".content: Input should be a string or a list of content blocks", at + ".content");
      }
      List<String> texts = new ArrayList<>();
      List<String> resultIds = new ArrayList<>();
      for (int j = 0; j < content.size(); j++) {
        JsonNode block = content.get(j);
        String blockAt = at + ".content." + j;
        String blockPointer = pointer + "/" + j;
        if (!block.isObject() || !block.path("type").isTextual()) {
          throw invalid(blockAt + ": Input should be a content block with a type", blockAt);
        }
        switch (block.get("type").asText()) {
          case "text" -> {
            String text = text(block, blockAt);
            texts.add(text);
            if (user) {
              addText(clientTexts, blockPointer + "/text", text);
            }
          }
          case "tool_result" -> {
            resultIds.add(string(block, "tool_use_id", blockAt));
            toolResult(block.get("content"), blockAt + ".content", blockPointer + "/content");
          }
          case "document" -> document(block, blockAt, blockPointer);
          case "tool_use" -> {
            string(block, "id", blockAt);
            string(block, "name", blockAt);
            JsonNode input = block.get("input");
            if (input != null && !input.isObject()) {
              throw invalid(blockAt + ".input: Input should be an object", blockAt + ".input");
            }
          }
          default -> {
            // image, thinking, redacted_thinking, server tool blocks: no text to classify
          }
        }
      }
      String joined = String.join("\n", texts.stream().filter(t -> !t.isBlank()).toList());
      addTurn(role, joined);
      if (last && user) {
        lastToolResultIds = List.copyOf(resultIds);
      }
    }

    /** A tool result's content: a string, or text (and image) blocks. */
    private void toolResult(JsonNode content, String at, String pointer)
        throws BadRequestException {
      if (content == null || content.isNull()) {
        return;
      }
      if (content.isTextual()) {
        addScreened(pointer, content.asText());
        return;
      }
      if (!content.isArray()) {
        throw invalid(at + ": Input should be a string or a list of content blocks", at);
      }
      for (int k = 0; k < content.size(); k++) {
        JsonNode block = content.get(k);
        if (block.isObject() && "text".equals(block.path("type").asText())) {
          addScreened(pointer + "/" + k + "/text", text(block, at + "." + k));
        }
      }
    }

    /** A document's text: a {@code text} source's data or a {@code content} source's blocks. */
    private void document(JsonNode block, String at, String pointer) throws BadRequestException {
      JsonNode source = block.get("source");
      if (source == null || !source.isObject()) {
        throw invalid(at + ".source: Field required", at + ".source");
      }
      String type = source.path("type").asText("");
      if (type.equals("text")) {
        JsonNode data = source.get("data");
        if (data == null || !data.isTextual()) {
          throw invalid(at + ".source.data: Input should be a valid string", at + ".source.data");
        }
        addScreened(pointer + "/source/data", data.asText());
      } else if (type.equals("content")) {
        toolResult(source.get("content"), at + ".source.content", pointer + "/source/content");
      }
    }

    private void addTurn(String role, String text) {
      if (!text.isBlank()) {
        turns.add(new Turn(role, text));
      }
    }

    private void addScreened(String pointer, String text) {
      addText(toolResults, pointer, text);
      addText(clientTexts, pointer, text);
    }

    private static void addText(List<ClientText> out, String pointer, String text) {
      if (!text.isBlank()) {
        out.add(new ClientText(pointer, text));
      }
    }
  }

  private static String text(JsonNode block, String at) throws BadRequestException {
    return string(block, "text", at);
  }

  private static String string(JsonNode block, String field, String at) throws BadRequestException {
    JsonNode value = block.get(field);
    if (value == null || !value.isTextual()) {
      throw invalid(at + "." + field + ": Input should be a valid string", at + "." + field);
    }
    return value.asText();
  }
}

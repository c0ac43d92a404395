package io.semroute.extproc.responses;

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
import java.util.Set;

/**
 * Reads an OpenAI Responses request ({@code POST /v1/responses}) and checks the parts the router
 * relies on. What it rejects becomes a 400 in OpenAI's error shape, naming the parameter as the API
 * does ({@code input[2].call_id}).
 */
public final class ResponsesParser {
  /** The values {@code reasoning.effort} takes. */
  public static final Set<String> EFFORTS =
      Set.of("none", "minimal", "low", "medium", "high", "xhigh");

  private ResponsesParser() {}

  public static ClientRequest parse(byte[] bytes) throws BadRequestException {
    ObjectNode body = object(bytes);
    JsonNode model = body.get("model");
    if (model == null || model.isNull()) {
      throw invalid("Missing required parameter: 'model'.", "model");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw invalid("Invalid type for 'model': expected a non-empty string.", "model");
    }
    String previous = optionalString(body, "previous_response_id");
    Reader reader = new Reader();
    reader.instructions(body.get("instructions"));
    reader.input(body.get("input"), previous != null);
    tools(body.get("tools"));
    return new ClientRequest(
        ClientApi.RESPONSES,
        body,
        model.asText(),
        Boolean.TRUE.equals(optionalBoolean(body, "stream")),
        String.join("\n", reader.system),
        reader.turns,
        reader.clientTexts,
        reader.toolResults,
        reader.lastToolResultIds(),
        userId(body),
        reasoning(body.get("reasoning")),
        previous,
        optionalBoolean(body, "store"));
  }

  private static ObjectNode object(byte[] bytes) throws BadRequestException {
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

  private static String optionalString(ObjectNode body, String field) throws BadRequestException {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid("Invalid type for '" + field + "': expected a string.", field);
    }
    return value.asText();
  }

  private static Boolean optionalBoolean(ObjectNode body, String field) throws BadRequestException {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      throw invalid("Invalid type for '" + field + "': expected a boolean.", field);
    }
    return value.asBoolean();
  }

  /** {@code safety_identifier}, the field that replaced {@code user}, else {@code user}. */
  private static String userId(ObjectNode body) throws BadRequestException {
    String safety = optionalString(body, "safety_identifier");
    return safety != null ? safety : optionalString(body, "user");
  }

  private static Reasoning reasoning(JsonNode reasoning) throws BadRequestException {
    if (reasoning == null || reasoning.isNull()) {
      return null;
    }
    if (!reasoning.isObject()) {
      throw invalid("Invalid type for 'reasoning': expected an object.", "reasoning");
    }
    JsonNode effort = reasoning.get("effort");
    if (effort == null || effort.isNull()) {
      return null;
    }
    if (!effort.isTextual() || !EFFORTS.contains(effort.asText())) {
      throw invalid(
          "Invalid value for 'reasoning.effort': expected one of none, minimal, low, medium,"
              + " high, xhigh.",
          "reasoning.effort");
    }
    return new Reasoning(!effort.asText().equals("none"), effort.asText(), null);
  }

  private static void tools(JsonNode tools) throws BadRequestException {
    if (tools == null || tools.isNull()) {
      return;
    }
    if (!tools.isArray()) {
      throw invalid("Invalid type for 'tools': expected an array.", "tools");
    }
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      if (!tool.isObject() || !tool.path("type").isTextual()) {
        throw invalid("Missing required parameter: 'tools[" + i + "].type'.", "tools[" + i + "]");
      }
      if (tool.get("type").asText().equals("function") && !tool.path("name").isTextual()) {
        throw invalid(
            "Missing required parameter: 'tools[" + i + "].name'.", "tools[" + i + "].name");
      }
    }
  }

  static BadRequestException invalid(String message, String param) {
    return BadRequestException.invalid(message, param);
  }

  /** Walks {@code instructions} and {@code input}, collecting texts as it checks them. */
  private static final class Reader {
    final List<String> system = new ArrayList<>();
    final List<Turn> turns = new ArrayList<>();
    final List<ClientText> clientTexts = new ArrayList<>();
    final List<ClientText> toolResults = new ArrayList<>();
    final List<String> answeredCallIds = new ArrayList<>();

    void instructions(JsonNode instructions) throws BadRequestException {
      if (instructions == null || instructions.isNull()) {
        return;
      }
      if (!instructions.isTextual()) {
        throw invalid("Invalid type for 'instructions': expected a string.", "instructions");
      }
      if (!instructions.asText().isBlank()) {
        system.add(instructions.asText());
      }
    }

    void input(JsonNode input, boolean continuing) throws BadRequestException {
      if (input == null || input.isNull()) {
        if (continuing) {
          return;
        }
        throw invalid("Missing required parameter: 'input'.", "input");
      }
      if (input.isTextual()) {
        addTurn("user", input.asText());
        addText(clientTexts, "/input", input.asText());
        return;
      }
      if (!input.isArray()) {
        throw invalid(
            "Invalid type for 'input': expected a string or an array of input items.", "input");
      }
      for (int i = 0; i < input.size(); i++) {
        item(input.get(i), i);
      }
    }

    private void item(JsonNode item, int i) throws BadRequestException {
      String at = "input[" + i + "]";
      if (!item.isObject()) {
        throw invalid("Invalid type for '" + at + "': expected an object.", at);
      }
      String type = item.path("type").asText(item.has("role") ? "message" : "");
      if (type.equals("function_call")
          || type.equals("reasoning")
          || "assistant".equals(item.path("role").asText())) {
        answeredCallIds.clear(); // a new assistant turn: only results after it count
      }
      switch (type) {
        case "message" -> message(item, i, at);
        case "function_call" -> {
          string(item, "call_id", at);
          string(item, "name", at);
          string(item, "arguments", at);
        }
        case "function_call_output", "custom_tool_call_output" -> {
          answeredCallIds.add(string(item, "call_id", at));
          output(item.get("output"), at + ".output", "/input/" + i + "/output");
        }
        case "" -> throw invalid("Missing required parameter: '" + at + ".type'.", at + ".type");
        default -> {
          // reasoning, item_reference and built-in tool items: no text to classify
        }
      }
    }

    private void message(JsonNode item, int i, String at) throws BadRequestException {
      String role = item.path("role").asText("");
      if (!Set.of("user", "assistant", "system", "developer").contains(role)) {
        throw invalid(
            "Invalid value for '"
                + at
                + ".role': expected one of user, assistant, system, developer.",
            at + ".role");
      }
      JsonNode content = item.get("content");
      String pointer = "/input/" + i + "/content";
      List<String> texts = new ArrayList<>();
      if (content != null && content.isTextual()) {
        texts.add(content.asText());
        if (role.equals("user")) {
          addText(clientTexts, pointer, content.asText());
        }
      } else if (content != null && content.isArray()) {
        for (int j = 0; j < content.size(); j++) {
          JsonNode part = content.get(j);
          String partAt = at + ".content[" + j + "]";
          String partType = part.path("type").asText("");
          if (partType.equals("input_text") || partType.equals("output_text")) {
            String text = string(part, "text", partAt);
            texts.add(text);
            if (role.equals("user")) {
              addText(clientTexts, pointer + "/" + j + "/text", text);
            }
          } else if (partType.isEmpty()) {
            throw invalid("Missing required parameter: '" + partAt + ".type'.", partAt + ".type");
          }
        }
      } else {
        throw invalid(
            "Invalid type for '" + at + ".content': expected a string or an array of content.",
            at + ".content");
      }
      String text = String.join("\n", texts.stream().filter(t -> !t.isBlank()).toList());
      if (role.equals("system") || role.equals("developer")) {
        if (!text.isBlank()) {
          system.add(text);
        }
      } else {
        addTurn(role, text);
      }
    }

    /** A function call's output: a string, or {@code input_text} (and image, file) parts. */
    private void output(JsonNode output, String at, String pointer) throws BadRequestException {
      if (output == null || output.isNull()) {
        throw invalid("Missing required parameter: '" + at + "'.", at);
      }
      if (output.isTextual()) {
        addScreened(pointer, output.asText());
        return;
      }
      if (!output.isArray()) {
        throw invalid("Invalid type for '" + at + "': expected a string or an array.", at);
      }
      for (int k = 0; k < output.size(); k++) {
        JsonNode part = output.get(k);
        if ("input_text".equals(part.path("type").asText())) {
          addScreened(pointer + "/" + k + "/text", string(part, "text", at + "[" + k + "]"));
        }
      }
    }

    List<String> lastToolResultIds() {
      return List.copyOf(answeredCallIds);
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

  private static String string(JsonNode node, String field, String at) throws BadRequestException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw invalid("Missing required parameter: '" + at + "." + field + "'.", at + "." + field);
    }
    if (!value.isTextual()) {
      throw invalid(
          "Invalid type for '" + at + "." + field + "': expected a string.", at + "." + field);
    }
    return value.asText();
  }
}

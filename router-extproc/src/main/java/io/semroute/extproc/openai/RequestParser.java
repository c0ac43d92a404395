package io.semroute.extproc.openai;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OpenAI request body with Jackson and checks the parts the router relies on. Anything
 * it rejects becomes a 400 with an OpenAI error body, never an exception reaching Envoy.
 */
public final class RequestParser {
  private RequestParser() {}

  public static ParsedRequest parse(RequestKind kind, byte[] bytes) throws BadRequestException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      throw BadRequestException.invalid(
          "request body is not valid JSON: " + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw BadRequestException.invalid("request body could not be read: " + e.getMessage(), null);
    }
    if (root == null || !root.isObject()) {
      throw BadRequestException.invalid("request body must be a JSON object", null);
    }
    ObjectNode body = (ObjectNode) root;
    JsonNode model = body.get("model");
    if (model == null || model.isNull()) {
      throw BadRequestException.invalid("you must provide a model parameter", "model");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw BadRequestException.invalid("'model' must be a non-empty string", "model");
    }
    List<String> texts =
        kind == RequestKind.CHAT_COMPLETIONS ? userTurns(body) : promptTexts(body);
    JsonNode stream = body.get("stream");
    return new ParsedRequest(
        kind, body, model.asText(), texts, stream != null && stream.asBoolean(false));
  }

  private static List<String> userTurns(ObjectNode body) throws BadRequestException {
    JsonNode messages = body.get("messages");
    if (messages == null || messages.isNull()) {
      throw BadRequestException.invalid("'messages' is a required property", "messages");
    }
    if (!messages.isArray()) {
      throw BadRequestException.invalid("'messages' must be an array", "messages");
    }
    List<String> turns = new ArrayList<>();
    int i = 0;
    for (JsonNode message : messages) {
      if (!message.isObject()) {
        throw BadRequestException.invalid(
            "'messages[" + i + "]' must be an object", "messages[" + i + "]");
      }
      JsonNode role = message.get("role");
      if (role == null || !role.isTextual()) {
        throw BadRequestException.invalid(
            "'messages[" + i + "].role' is required", "messages[" + i + "].role");
      }
      if ("user".equals(role.asText())) {
        String text = contentText(message.get("content"));
        if (!text.isBlank()) {
          turns.add(text);
        }
      }
      i++;
    }
    return turns;
  }

  /**
   * A message's text: a plain string, or the {@code text} of every {@code type: text} part of a
   * content-part array (images and audio carry no text to classify).
   */
  public static String contentText(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        JsonNode text = part.get("text");
        if (part.isObject() && "text".equals(part.path("type").asText()) && text != null) {
          if (sb.length() > 0) {
            sb.append('\n');
          }
          sb.append(text.asText());
        }
      }
      return sb.toString();
    }
    return "";
  }

  private static List<String> promptTexts(ObjectNode body) throws BadRequestException {
    JsonNode prompt = body.get("prompt");
    if (prompt == null || prompt.isNull()) {
      throw BadRequestException.invalid("'prompt' is a required property", "prompt");
    }
    if (prompt.isTextual()) {
      return prompt.asText().isBlank() ? List.of() : List.of(prompt.asText());
    }
    if (prompt.isArray()) {
      List<String> texts = new ArrayList<>();
      for (JsonNode p : prompt) {
        if (p.isTextual() && !p.asText().isBlank()) {
          texts.add(p.asText());
        }
      }
      return texts;
    }
    throw BadRequestException.invalid("'prompt' must be a string or an array", "prompt");
  }
}

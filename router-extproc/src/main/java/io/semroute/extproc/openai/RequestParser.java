package io.semroute.extproc.openai;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads an OpenAI request body with Jackson and checks the parts the router relies on. Anything it
 * rejects becomes a 400 with an OpenAI error body, never an exception reaching Envoy.
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
    List<String> texts = kind == RequestKind.CHAT_COMPLETIONS ? userTurns(body) : promptTexts(body);
    JsonNode stream = body.get("stream");
    return new ParsedRequest(
        kind,
        body,
        model.asText(),
        texts,
        stream != null && stream.asBoolean(false),
        clientTexts(kind, body));
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

  /** Roles whose content the client supplies as data: user turns and tool (function) results. */
  private static final Set<String> SCREENED_ROLES = Set.of("user", "tool", "function");

  /**
   * Every string the PII scan reads, one per JSON string so a redaction can find it again: user and
   * tool message contents (a string, or each {@code text} part), and each completions prompt.
   */
  private static List<ParsedRequest.ClientText> clientTexts(RequestKind kind, ObjectNode body) {
    List<ParsedRequest.ClientText> out = new ArrayList<>();
    if (kind == RequestKind.CHAT_COMPLETIONS) {
      JsonNode messages = body.get("messages");
      for (int i = 0; i < messages.size(); i++) {
        JsonNode m = messages.get(i);
        if (!SCREENED_ROLES.contains(m.path("role").asText())) {
          continue;
        }
        JsonNode content = m.get("content");
        String at = "/messages/" + i + "/content";
        if (content != null && content.isTextual()) {
          addText(out, at, content.asText());
        } else if (content != null && content.isArray()) {
          for (int j = 0; j < content.size(); j++) {
            JsonNode part = content.get(j);
            JsonNode text = part.get("text");
            if (part.isObject() && text != null && text.isTextual()) {
              addText(out, at + "/" + j + "/text", text.asText());
            }
          }
        }
      }
    } else {
      JsonNode prompt = body.get("prompt");
      if (prompt.isTextual()) {
        addText(out, "/prompt", prompt.asText());
      } else {
        for (int i = 0; i < prompt.size(); i++) {
          if (prompt.get(i).isTextual()) {
            addText(out, "/prompt/" + i, prompt.get(i).asText());
          }
        }
      }
    }
    return out;
  }

  private static void addText(List<ParsedRequest.ClientText> out, String pointer, String text) {
    if (!text.isBlank()) {
      out.add(new ParsedRequest.ClientText(pointer, text));
    }
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

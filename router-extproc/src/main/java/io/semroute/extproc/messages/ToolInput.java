package io.semroute.extproc.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.openai.Json;
import java.io.IOException;

/** A Chat Completions tool call's {@code arguments} string as a Messages {@code tool_use.input}. */
final class ToolInput {
  private ToolInput() {}

  /**
   * The arguments object; empty arguments give {@code {}}. Arguments that are not a JSON object (a
   * model's malformed output) are kept whole under {@code "arguments"} rather than dropped, since
   * {@code input} must be an object.
   */
  static ObjectNode of(String arguments) {
    if (arguments == null || arguments.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      JsonNode parsed = Json.MAPPER.readTree(arguments);
      if (parsed instanceof ObjectNode object) {
        return object;
      }
    } catch (IOException e) {
      // not JSON: kept as text below
    }
    ObjectNode wrapped = Json.MAPPER.createObjectNode();
    wrapped.put("arguments", arguments);
    return wrapped;
  }
}

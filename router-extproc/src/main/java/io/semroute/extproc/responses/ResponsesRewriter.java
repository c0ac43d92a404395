package io.semroute.extproc.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.JsonText;

/**
 * Shapes a Responses request for the model it was routed to: {@code model}, and reasoning in the
 * API's own field, {@code reasoning.effort}, set explicitly on and off so a client's stale value
 * never leaks through (the rest of {@code reasoning}, e.g. {@code summary}, is kept).
 */
public final class ResponsesRewriter {
  /** The effort that means no reasoning in the Responses API. */
  public static final String OFF = "none";

  /** The API's default effort, used when reasoning is switched on without one. */
  public static final String DEFAULT_EFFORT = "medium";

  private ResponsesRewriter() {}

  public static void setModel(ObjectNode body, String model) {
    body.put("model", model);
  }

  /**
   * @param effort the effort when {@code on} (null: the client's own if it asked for one, else
   *     {@value #DEFAULT_EFFORT}); ignored when off, which writes {@value #OFF}
   */
  public static void setReasoning(ObjectNode body, boolean on, String effort) {
    JsonNode existing = body.get("reasoning");
    ObjectNode reasoning = existing instanceof ObjectNode o ? o : body.putObject("reasoning");
    if (!on) {
      reasoning.put("effort", OFF);
      return;
    }
    String old = reasoning.path("effort").asText(null);
    String chosen =
        effort != null ? effort : old != null && !old.equals(OFF) ? old : DEFAULT_EFFORT;
    reasoning.put("effort", chosen);
  }

  public static byte[] serialize(ObjectNode body) {
    return JsonText.bytes(body);
  }
}

package io.semroute.extproc.attempt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.openai.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What the downstream pass decided for every attempt a request may make, carried to the upstream
 * pass in {@link AttemptHeaders#PLAN} so that a later attempt is rewritten for its model without
 * classifying the request again: the models in order (the decided one first, then the candidates
 * the PII policy allows, at most {@code max_attempts}), each with its reasoning switch and effort.
 *
 * @param attempts in the order Envoy's priority levels try them
 */
public record AttemptPlan(List<Attempt> attempts) {

  /**
   * @param model the model an attempt at this position goes to
   * @param reasoning whether reasoning is on for it
   * @param effort its reasoning effort, or null
   */
  public record Attempt(String model, boolean reasoning, String effort) {}

  public AttemptPlan {
    attempts = List.copyOf(attempts);
  }

  /** The {@link AttemptHeaders#CHAIN} value: the models, comma-separated. */
  public String chain() {
    return String.join(",", models());
  }

  public List<String> models() {
    return attempts.stream().map(Attempt::model).toList();
  }

  /** The position of {@code model} in the plan, or -1. */
  public int indexOf(String model) {
    return models().indexOf(model);
  }

  /** The {@link AttemptHeaders#PLAN} value (URL-safe base64 of a small JSON document). */
  public String encode() {
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (Attempt a : attempts) {
      ObjectNode n = list.addObject().put("model", a.model()).put("reasoning", a.reasoning());
      if (a.effort() != null) {
        n.put("effort", a.effort());
      }
    }
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(Json.MAPPER.writeValueAsBytes(list));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The plan in a {@link AttemptHeaders#PLAN} value, or empty when it is absent or unreadable (the
   * upstream pass then moves no request to another model).
   */
  public static Optional<AttemptPlan> decode(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode list =
          Json.MAPPER.readTree(
              new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8));
      if (!list.isArray() || list.isEmpty()) {
        return Optional.empty();
      }
      List<Attempt> attempts = new ArrayList<>();
      for (JsonNode n : list) {
        if (!n.path("model").isTextual()) {
          return Optional.empty();
        }
        attempts.add(
            new Attempt(
                n.get("model").asText(),
                n.path("reasoning").asBoolean(false),
                n.path("effort").isTextual() ? n.get("effort").asText() : null));
      }
      return Optional.of(new AttemptPlan(attempts));
    } catch (IllegalArgumentException | JsonProcessingException e) {
      return Optional.empty();
    }
  }
}

package io.semroute.extproc.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.JsonText;

/**
 * Shapes a Messages request for the model it was routed to: {@code model}, and reasoning on or off
 * in the API's own field, {@code thinking}, set explicitly either way so a client's stale value
 * never leaks through.
 */
public final class MessagesRewriter {
  private MessagesRewriter() {}

  public static void setModel(ObjectNode body, String model) {
    body.put("model", model);
  }

  /**
   * On: {@code {"type":"enabled","budget_tokens":N}}, keeping the client's own budget when it set
   * one, else {@code budgetTokens}; either way below {@code max_tokens}, which the API requires.
   * Off: {@code {"type":"disabled"}}.
   */
  public static void setThinking(ObjectNode body, boolean on, int budgetTokens) {
    if (!on) {
      body.putObject("thinking").put("type", "disabled");
      return;
    }
    JsonNode old = body.path("thinking").path("budget_tokens");
    long budget = old.isIntegralNumber() ? old.asLong() : budgetTokens;
    long max = body.path("max_tokens").asLong(Long.MAX_VALUE);
    if (budget >= max) {
      budget = Math.max(1, max - 1);
    }
    ObjectNode thinking = body.putObject("thinking");
    thinking.put("type", "enabled");
    thinking.put("budget_tokens", budget);
  }

  /** Messages has a token budget where the other APIs have an effort. */
  public static int thinkingBudget(String effort) {
    if (effort == null) {
      return 4096;
    }
    return switch (effort) {
      case "low" -> 1024;
      case "high" -> 16384;
      default -> 4096;
    };
  }

  public static byte[] serialize(ObjectNode body) {
    return JsonText.bytes(body);
  }
}

package io.semroute.extproc.openai;

import com.fasterxml.jackson.databind.JsonNode;

/** Token counts a backend reported in a response's {@code usage} object. */
public record Usage(long promptTokens, long completionTokens, long totalTokens) {
  /**
   * @return null when the node is not a usage object
   */
  public static Usage from(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long prompt = usage.path("prompt_tokens").asLong(0);
    long completion = usage.path("completion_tokens").asLong(0);
    long total = usage.path("total_tokens").asLong(prompt + completion);
    return new Usage(prompt, completion, total);
  }
}

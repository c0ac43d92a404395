package io.semroute.extproc.clientapi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Chat Completions {@code usage} object with the details the other APIs report separately.
 *
 * @param promptTokens every prompt token, cached ones included
 * @param cachedTokens {@code prompt_tokens_details.cached_tokens} (0 when absent)
 * @param reasoningTokens {@code completion_tokens_details.reasoning_tokens} (0 when absent)
 */
public record ChatUsage(
    long promptTokens,
    long completionTokens,
    long totalTokens,
    long cachedTokens,
    long reasoningTokens) {

  public static final ChatUsage NONE = new ChatUsage(0, 0, 0, 0, 0);

  /**
   * @return null when the node is not a usage object
   */
  public static ChatUsage from(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    long prompt = usage.path("prompt_tokens").asLong(0);
    long completion = usage.path("completion_tokens").asLong(0);
    return new ChatUsage(
        prompt,
        completion,
        usage.path("total_tokens").asLong(prompt + completion),
        usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
        usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
  }
}

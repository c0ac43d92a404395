package io.semroute.extproc.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.clientapi.ClientApi;
import io.semroute.extproc.clientapi.ClientRequest;
import java.util.List;

/**
 * The {@link CacheKey} of a Messages or Responses request: the same canonical hash, under the API's
 * own prefix (an answer is only ever replayed to a client of the API it was stored for), without
 * the fields that only say how the answer travels or is kept ({@code metadata}, {@code store}). The
 * semantic tier compares the last user message when it is plain text (Messages: a string or text
 * blocks; Responses: a string {@code input}, or a last {@code user} item of text). A Responses
 * request continuing a stored response ({@code previous_response_id}) is not cached: its context is
 * not in the body.
 */
final class AgentCacheKey {
  private static final List<String> NOT_CONTENT = List.of("metadata", "store");

  private AgentCacheKey() {}

  static CacheKey.Keyed of(ClientRequest request, boolean cacheSampled) {
    if (request.previousResponseId() != null) {
      return new CacheKey.Keyed(null, "continues a stored response (previous_response_id)");
    }
    ObjectNode body = request.body().deepCopy();
    NOT_CONTENT.forEach(body::remove);
    JsonNode t = body.get("temperature");
    if (!cacheSampled && t != null && t.isNumber() && t.asDouble() > 0) {
      return new CacheKey.Keyed(
          null, "temperature > 0 (set semantic_cache.cache_sampled: true to cache it)");
    }
    String endpoint = request.api() == ClientApi.MESSAGES ? "messages|" : "responses|";
    String exact = CacheKey.sha256(endpoint + CacheKey.canonical(body, null));
    JsonNode hole = hole(request.api(), body);
    String text = hole == null ? null : text(hole);
    if (text == null || text.isBlank()) {
      return new CacheKey.Keyed(new CacheKey(exact, null, null), null);
    }
    return new CacheKey.Keyed(
        new CacheKey(exact, CacheKey.sha256(endpoint + CacheKey.canonical(body, hole)), text),
        null);
  }

  /** The node holding the last user message's text, or null when it is not plain text. */
  private static JsonNode hole(ClientApi api, ObjectNode body) {
    JsonNode turns = api == ClientApi.MESSAGES ? body.get("messages") : body.get("input");
    if (turns == null) {
      return null;
    }
    if (turns.isTextual()) {
      return turns;
    }
    if (!turns.isArray() || turns.isEmpty()) {
      return null;
    }
    JsonNode last = turns.get(turns.size() - 1);
    if (!"user".equals(last.path("role").asText())) {
      return null;
    }
    JsonNode content = last.get("content");
    return content != null && text(content) != null ? content : null;
  }

  /** A string, or blocks that are all text ({@code text}, {@code input_text}); else null. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      String type = part.path("type").asText();
      if (!type.equals("text") && !type.equals("input_text")) {
        return null;
      }
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(part.path("text").asText());
    }
    return sb.toString();
  }
}

package io.semroute.extproc.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.extproc.openai.ParsedRequest;
import io.semroute.extproc.openai.RequestKind;
import io.semroute.extproc.openai.RequestParser;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeMap;

/**
 * What identifies a request's answer. The exact key is a SHA-256 of the canonical request: every
 * field of the body (the whole conversation, the requested model, temperature, max tokens, tools,
 * response format, seed, ...) with object keys sorted and numbers normalised, minus the few fields
 * that change only how the answer is delivered ({@link #DELIVERY_ONLY}). The semantic tier compares
 * only the last user message by meaning: the context key is the same hash with that message's text
 * left out, so everything else (earlier turns, system prompt, parameters) must still match exactly.
 *
 * @param exact hash of the whole canonical request (plus the endpoint)
 * @param context hash of the canonical request without the last user message's text, or null when
 *     the request has no semantic tier (last message not a plain-text user turn)
 * @param semanticText the last user message's text, or null
 */
public record CacheKey(String exact, String context, String semanticText) {
  /** Fields that change how the answer travels, not what it says. */
  static final Set<String> DELIVERY_ONLY = Set.of("stream", "stream_options", "user");

  private static final String HOLE = "\u0000semantic\u0000";

  /** A key, or why the request is not cached. */
  public record Keyed(CacheKey key, String skip) {}

  public static Keyed of(ParsedRequest request, boolean cacheSampled) {
    ObjectNode body = request.body();
    String skip = uncacheable(body, cacheSampled);
    if (skip != null) {
      return new Keyed(null, skip);
    }
    String endpoint = request.kind() == RequestKind.CHAT_COMPLETIONS ? "chat|" : "completions|";
    String exact = sha256(endpoint + canonical(body, null));
    String text = null;
    JsonNode hole = null;
    if (request.kind() == RequestKind.CHAT_COMPLETIONS) {
      JsonNode messages = body.get("messages");
      JsonNode last = messages.size() == 0 ? null : messages.get(messages.size() - 1);
      if (last != null
          && "user".equals(last.path("role").asText())
          && plainText(last.get("content"))) {
        hole = last.get("content");
        text = RequestParser.contentText(hole);
      }
    } else if (body.path("prompt").isTextual()) {
      hole = body.get("prompt");
      text = hole.asText();
    }
    if (text == null || text.isBlank()) {
      return new Keyed(new CacheKey(exact, null, null), null);
    }
    return new Keyed(new CacheKey(exact, sha256(endpoint + canonical(body, hole)), text), null);
  }

  /** Requests whose answers the cache must not give or keep, with the reason. */
  private static String uncacheable(ObjectNode body, boolean cacheSampled) {
    JsonNode t = body.get("temperature");
    if (!cacheSampled && t != null && t.isNumber() && t.asDouble() > 0) {
      return "temperature > 0 (set semantic_cache.cache_sampled: true to cache it)";
    }
    if (body.path("n").asInt(1) > 1 || body.path("best_of").asInt(1) > 1) {
      return "n > 1";
    }
    if (body.path("logprobs").asBoolean(false)
        || body.path("logprobs").isInt()
        || body.has("top_logprobs")
        || body.path("echo").asBoolean(false)) {
      return "logprobs or echo requested (not kept in the cache)";
    }
    return null;
  }

  /**
   * Text only: a string, or parts that are all {@code type: text} (an image changes the question).
   */
  private static boolean plainText(JsonNode content) {
    if (content == null || content.isTextual()) {
      return content != null;
    }
    if (!content.isArray()) {
      return false;
    }
    for (JsonNode part : content) {
      if (!"text".equals(part.path("type").asText())) {
        return false;
      }
    }
    return true;
  }

  /** Sorted keys, normalised numbers, delivery-only fields dropped; {@code hole} left out. */
  static String canonical(ObjectNode body, JsonNode hole) {
    StringBuilder sb = new StringBuilder();
    write(sb, body, hole, true);
    return sb.toString();
  }

  private static void write(StringBuilder sb, JsonNode n, JsonNode hole) {
    write(sb, n, hole, false);
  }

  private static void write(StringBuilder sb, JsonNode n, JsonNode hole, boolean top) {
    if (n == hole) {
      string(sb, HOLE);
    } else if (n.isObject()) {
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      n.properties()
          .forEach(
              e -> {
                if (!top || !DELIVERY_ONLY.contains(e.getKey())) {
                  fields.put(e.getKey(), e.getValue());
                }
              });
      sb.append('{');
      boolean first = true;
      for (var e : fields.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, e.getKey());
        sb.append(':');
        write(sb, e.getValue(), hole);
      }
      sb.append('}');
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(sb, ((ArrayNode) n).get(i), hole);
      }
      sb.append(']');
    } else if (n.isNumber()) {
      // 0, 0.0 and 0e0 are the same temperature.
      BigDecimal d = n.decimalValue();
      sb.append(d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
    } else if (n.isTextual()) {
      string(sb, n.asText());
    } else {
      sb.append(n.toString());
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.semroute.peer.mock;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON as vLLM's stand-in reads it. The mapper is configured like the router's own, so what the
 * mock echoes back ({@code chat_template_kwargs}, {@code reasoning_effort}) keeps the numbers it
 * received exactly and a duplicate key is a 400, not a silent choice.
 */
final class MockJson {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private MockJson() {}

  /**
   * A message's text: a plain string, or the {@code text} of every {@code type: text} part of a
   * content-part array, joined by newlines.
   */
  static String contentText(JsonNode content) {
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
}

package io.semroute.extproc.openai;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one shared, thread-safe Jackson mapper. */
public final class Json {
  /**
   * Floats are read as BigDecimal so a rewritten body carries the client's numbers exactly ({@code
   * "temperature": 0.10} is not turned into {@code 0.1} by a double round trip) and duplicate keys
   * are rejected rather than silently resolved.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private Json() {}
}

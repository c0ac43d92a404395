package io.semroute.extproc.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.semroute.config.ModelPath;
import io.semroute.config.RouterConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /config}: the effective config (defaults filled in) as JSON, with secrets masked: any
 * value under a key that names a secret (token, secret, password, credential, api key) and the
 * user-info part of URLs. Env var names are shown; their values never are.
 */
final class EffectiveConfig {
  static final String MASK = "***";
  private static final Pattern SECRET_KEY =
      // Whole words between underscores: `api_token` is a secret, `max_tokens` is not.
      Pattern.compile(
          "(?i)(.*_)?(token|secret|password|passwd|credentials?|api_key|apikey|authorization)(_.*)?");
  private static final Pattern URL_USERINFO =
      Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");

  /** Keys whose values name where a secret comes from, not the secret. */
  private static final Pattern SECRET_SOURCE = Pattern.compile("(?i).*_env$");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .addModule(
              new SimpleModule()
                  .addSerializer(Path.class, new ToText<>())
                  .addSerializer(
                      ModelPath.class,
                      new JsonSerializer<>() {
                        @Override
                        public void serialize(ModelPath v, JsonGenerator g, SerializerProvider p)
                            throws IOException {
                          g.writeString(v.dir().toString());
                        }
                      })
                  .addSerializer(Pattern.class, new ToText<>()))
          .build();

  private EffectiveConfig() {}

  static JsonNode masked(RouterConfig cfg) {
    JsonNode tree = MAPPER.valueToTree(cfg);
    mask(tree);
    return tree;
  }

  static void mask(JsonNode node) {
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode v = o.get(name);
        if (SECRET_KEY.matcher(name).matches()
            && !SECRET_SOURCE.matcher(name).matches()
            && !v.isNull()
            && !v.isContainerNode()) {
          o.put(name, MASK);
        } else if (v.isTextual()) {
          o.set(name, maskUrl(v.asText()));
        } else {
          mask(v);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        JsonNode v = a.get(i);
        if (v.isTextual()) {
          a.set(i, maskUrl(v.asText()));
        } else {
          mask(v);
        }
      }
    }
  }

  private static TextNode maskUrl(String s) {
    return TextNode.valueOf(URL_USERINFO.matcher(s).replaceFirst("$1" + MASK + "@"));
  }

  private static final class ToText<T> extends JsonSerializer<T> {
    @Override
    public void serialize(T v, JsonGenerator g, SerializerProvider p) throws IOException {
      g.writeString(v.toString());
    }
  }
}

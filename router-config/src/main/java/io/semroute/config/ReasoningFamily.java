package io.semroute.config;

/**
 * How a model family switches reasoning on or off in the request body.
 *
 * <ul>
 *   <li>{@code chat_template_kwargs}: {@code "chat_template_kwargs": {parameter: true|false}}
 *       (qwen3 → {@code enable_thinking}, deepseek → {@code thinking})
 *   <li>{@code reasoning_effort}: top-level {@code parameter: "low"|"medium"|"high"} (gpt-oss)
 * </ul>
 */
public record ReasoningFamily(String name, Type type, String parameter) {
  public enum Type {
    CHAT_TEMPLATE_KWARGS("chat_template_kwargs"),
    REASONING_EFFORT("reasoning_effort");

    private final String yamlName;

    Type(String yamlName) {
      this.yamlName = yamlName;
    }

    public String yamlName() {
      return yamlName;
    }
  }
}

package io.semroute.config;

import java.util.Locale;

/**
 * The form of a guard's refusal ({@code classifier.jailbreak.response}, {@code
 * classifier.pii.response}).
 */
public enum BlockResponse {
  /**
   * {@code 200} with an OpenAI completion whose {@code finish_reason} is {@code content_filter} and
   * a short refusal text (an SSE stream ending in {@code data: [DONE]} when the request asked for
   * {@code stream: true}): the reference router's convention, which chat UIs show as an answer.
   */
  COMPLETION,
  /** {@code 400} OpenAI error JSON with code {@code content_filter} (Azure OpenAI's convention). */
  ERROR;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

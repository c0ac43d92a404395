package io.semroute.config;

/** A category's system prompt and whether it is inserted before or replaces the client's. */
public record SystemPrompt(String text, Mode mode) {
  public enum Mode {
    INSERT,
    REPLACE
  }
}

package io.semroute.extproc.pipeline;

import java.util.Locale;

/**
 * How a request the jailbreak guard let through is marked ({@code x-vsr-jailbreak}): it fired with
 * {@code action: flag} or its risk fell in the flag band ({@code flag_threshold} up to {@code
 * block_threshold}), or it could not answer with {@code on_error: allow}.
 */
public enum JailbreakMark {
  FLAGGED("flag"),
  UNCHECKED("unchecked");

  private final String action;

  JailbreakMark(String action) {
    this.action = action;
  }

  /** The header value: {@code flagged} or {@code unchecked}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The guard's action as {@code llm_jailbreak_actions_total} counts it. */
  public String action() {
    return action;
  }
}

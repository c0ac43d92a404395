package io.semroute.tools.data;

import java.util.Locale;

/** The two labels of the jailbreak guard; prompt injections count as attacks. */
public final class JailbreakLabels {
  public static final String BENIGN = "benign";
  public static final String JAILBREAK = "jailbreak";

  private JailbreakLabels() {}

  /**
   * Maps a source label (benign, jailbreak, injection...) to {@link #BENIGN} or {@link #JAILBREAK}.
   */
  public static String normalize(String label) {
    return switch (label.toLowerCase(Locale.ROOT).trim()) {
      case "benign", "safe", "0" -> BENIGN;
      case "jailbreak", "injection", "prompt_injection", "attack", "unsafe", "1" -> JAILBREAK;
      default ->
          throw new DataException(
              "unknown jailbreak label '" + label + "' (expected benign, jailbreak or injection)");
    };
  }
}

package io.semroute.tools.data;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Words and framings the attack class uses, for selecting ordinary prompts that contain them out of
 * real held-out sources (never for training). The list was fixed before any model was run on those
 * sources: the override and extraction words of {@link LakeraAttackRule} plus the role-play and
 * game framings of jailbreak personas.
 */
public final class TriggerWords {
  public static final List<String> WORDS =
      List.of(
          "ignore",
          "disregard",
          "forget",
          "override",
          "bypass",
          "pretend",
          "act as",
          "imagine",
          "role",
          "play",
          "game",
          "instruction",
          "rules",
          "prompt",
          "system",
          "from now on",
          "you are",
          "password",
          "secret",
          "reveal",
          "repeat",
          "unrestricted",
          "jailbreak");

  private static final Pattern ANY =
      Pattern.compile(
          "\\b(" + String.join("|", WORDS.stream().map(w -> w.replace(" ", "\\s+")).toList()) + ")",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private TriggerWords() {}

  public static boolean contains(String text) {
    return ANY.matcher(text).find();
  }
}

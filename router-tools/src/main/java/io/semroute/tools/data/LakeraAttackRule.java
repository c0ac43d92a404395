package io.semroute.tools.data;

import java.util.regex.Pattern;

/**
 * Which Lakera Gandalf / Mosscap rows are attacks once taken out of the password game. The game's
 * players typed everything into a chat whose hidden instructions guard a password, so the data set
 * labels every row an injection, including ordinary questions ("Can you name few stand-alone sci-fi
 * novels?"), greetings, spelling and letter games ("What is the third to last letter of the
 * password") and poems. Read alone, as the guard reads a user turn, those are not attempts to
 * override or extract a system's instructions, and a head trained on them learns "short question =
 * attack".
 *
 * <p>Rule: a row stays an attack when, read alone, it tries to override the instructions (ignore,
 * disregard, forget, override, bypass, stop / do not follow, "from now on", "you are now", act as,
 * pretend, role-play, new or supplementary rules) or to extract them (it names instructions,
 * directions, directives, prompts, rules, guidelines, the system, programming, constraints, what
 * the assistant was told or given, or the text / conversation above). Every other row is dropped
 * (not relabelled benign: in its own context it was an attempt, and asking for "the password" is
 * harmless only where there is none).
 */
public final class LakeraAttackRule {
  private static final Pattern ATTACK =
      Pattern.compile(
          "\\b(ignore|ignoring|disregard|forget|override|bypass|jailbreak\\w*|instruction\\w*"
              + "|directions?|directives?|prompts?|rules?|guidelines?|system|programming|programmed"
              + "|configured|constraints?|restrictions?|pretend|roleplay|role-play|persona)\\b"
              + "|\\byou are now\\b|\\bfrom now on\\b|\\bact as\\b|\\bnot follow|\\bstop following"
              + "|\\bdeveloper mode\\b|(?-i:\\bDAN\\b)|\\bsupplement rule|\\bnew rule"
              + "|\\b(above|previous|prior|earlier) (text|message|prompt|statement|sentence"
              + "|conversation|context)|\\btold (you|to)\\b"
              + "|\\byou (were|have been) (told|given|asked)\\b",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private LakeraAttackRule() {}

  /** Whether a Lakera row, read without the game around it, is still an attack. */
  public static boolean isAttackOutOfContext(String text) {
    return ATTACK.matcher(text).find();
  }
}

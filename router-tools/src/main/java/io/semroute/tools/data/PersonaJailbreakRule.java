package io.semroute.tools.data;

import java.util.regex.Pattern;

/**
 * Labels shared role-play and system-style prompts (awesome-chatgpt-prompts) by the guard's
 * definition: a persona is an attack when it is set up to escape the assistant's rules ("DAN", "Do
 * Anything Now", "developer mode", a character "not bound by" or "free from" restrictions or
 * content policies, "ignore all the instructions you got before"); every other role, however much
 * it says "act as", "you are" or "imagine", is an ordinary request. Harmful topics are not the
 * guard's business, so a persona is not an attack for its subject alone.
 */
public final class PersonaJailbreakRule {
  private static final Pattern ESCAPE =
      Pattern.compile(
          "(?-i:\\bDAN\\b)|do anything now|developer mode|not bound by|free (from|of) (all |any )?(the )?"
              + "(restrictions|limitations|rules|filters|guidelines)|no (ethical|moral) "
              + "(guidelines|restrictions|limits)|ignore all (the )?(previous )?instructions you "
              + "(got|were given)|(bypass|ignore|break) (openai|anthropic|the) (content )?"
              + "polic(y|ies)|without any (restrictions|filters|censorship)",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private PersonaJailbreakRule() {}

  /** {@link JailbreakLabels#JAILBREAK} for a rule-escaping persona, else benign. */
  public static String label(String text) {
    return ESCAPE.matcher(text).find() ? JailbreakLabels.JAILBREAK : JailbreakLabels.BENIGN;
  }
}

package io.semroute.config;

import java.util.Locale;

/**
 * What a guard does when it fires ({@code classifier.jailbreak.action}, {@code
 * classifier.pii.action}).
 */
public enum GuardAction {
  /** Answer from the router; the request never reaches a model (jailbreak and PII). */
  BLOCK,
  /** Forward, marked {@code x-vsr-jailbreak: flagged}, and log it (jailbreak only). */
  FLAG,
  /** Replace each detected entity span with {@code [TYPE]} in the forwarded body (PII only). */
  REDACT;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

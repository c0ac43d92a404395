package io.semroute.extproc.pipeline;

import java.util.Locale;

/**
 * What happened to a request in which PII was found ({@code x-vsr-pii-action}, {@code
 * llm_pii_violations_total}).
 */
public enum PiiAction {
  /** Forwarded as it was: the decided model's {@code pii_policy} allows every type found. */
  ALLOW,
  /** Sent to the category's next model whose policy allows the types found. */
  REROUTED,
  /** Forwarded with the forbidden spans replaced by {@code [TYPE]}. */
  REDACTED,
  /** Answered by the router with a refusal. */
  BLOCKED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package io.semroute.config;

import java.util.List;

/**
 * One entry of {@code decisions:}: when its condition holds (first match wins), route to {@code
 * model}, or to the cheapest of {@code candidates} whose predicted success reaches {@code target}
 * (else the most likely to succeed), with reasoning and system prompt as given.
 *
 * @param candidates empty when {@code model} is set
 * @param target the cost-quality knob for candidates; NaN = the outcomes folder's default
 * @param reasoningEffort null = the model's default
 * @param systemPrompt null = none (a decision replaces category routing, its prompt included)
 */
public record Decision(
    String name,
    Condition when,
    String model,
    List<String> candidates,
    double target,
    boolean useReasoning,
    String reasoningEffort,
    SystemPrompt systemPrompt,
    ConfigLocation at) {

  public Decision {
    candidates = List.copyOf(candidates);
  }
}

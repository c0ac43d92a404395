package io.semroute.extproc.decision;

import io.semroute.config.SystemPrompt;

/**
 * Where a request goes and how its body is shaped for that model.
 *
 * @param model the model to route to (always a configured model)
 * @param category the category that chose it, or null (default model, explicit model)
 * @param confidence the classification confidence behind it (0 when not classified)
 * @param reasoning whether the model's reasoning switch is set on
 * @param reasoningEffort low|medium|high when reasoning is on (used by {@code reasoning_effort}
 *     families), else null
 * @param reason a short human-readable explanation for logs and debugging
 * @param explicit true when the client named a configured model and the body stays unchanged
 * @param decision the {@code decisions:} entry that matched, or null (category routing)
 * @param signals the request's signals when the config has decisions, else null
 * @param systemPrompt with a matched decision: its system prompt (null = none; the category's
 *     prompt does not apply); unused otherwise
 */
public record RoutingDecision(
    String model,
    String category,
    double confidence,
    boolean reasoning,
    String reasoningEffort,
    String reason,
    boolean explicit,
    String decision,
    RequestSignals signals,
    SystemPrompt systemPrompt) {

  public RoutingDecision(
      String model,
      String category,
      double confidence,
      boolean reasoning,
      String reasoningEffort,
      String reason,
      boolean explicit) {
    this(
        model,
        category,
        confidence,
        reasoning,
        reasoningEffort,
        reason,
        explicit,
        null,
        null,
        null);
  }

  public static RoutingDecision explicit(String model) {
    return new RoutingDecision(model, null, 0.0, false, null, "model named by the client", true);
  }

  /** The category as headers, metrics and logs show it: {@code default} when none chose. */
  public String categoryLabel() {
    return category == null ? "default" : category;
  }

  /** The same routing with the signals that were looked at (no decision matched). */
  public RoutingDecision withSignals(RequestSignals s) {
    return new RoutingDecision(
        model,
        category,
        confidence,
        reasoning,
        reasoningEffort,
        reason,
        explicit,
        decision,
        s,
        systemPrompt);
  }
}

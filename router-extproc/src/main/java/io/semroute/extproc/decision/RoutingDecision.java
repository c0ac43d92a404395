package io.semroute.extproc.decision;

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
 */
public record RoutingDecision(
    String model,
    String category,
    double confidence,
    boolean reasoning,
    String reasoningEffort,
    String reason,
    boolean explicit) {

  public static RoutingDecision explicit(String model) {
    return new RoutingDecision(model, null, 0.0, false, null, "model named by the client", true);
  }
}

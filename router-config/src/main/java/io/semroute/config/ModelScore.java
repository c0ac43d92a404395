package io.semroute.config;

/**
 * How well a model suits a category.
 *
 * @param reasoningEffort low|medium|high, or null to use the model's default
 */
public record ModelScore(
    String model, double score, boolean useReasoning, String reasoningEffort) {}

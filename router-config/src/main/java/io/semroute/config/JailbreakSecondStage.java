package io.semroute.config;

/**
 * The jailbreak guard's second stage ({@code classifier.jailbreak.second_stage}): a stronger,
 * slower classifier that reads only the turns the first stage doubts. A turn whose first-stage risk
 * stays below {@code escalateThreshold} keeps that risk (it passes: the threshold is at most the
 * flag threshold); any other turn takes the second stage's risk, and the block and flag thresholds
 * apply to that. Ordinary traffic is almost all benign and scores low, so the second stage runs
 * rarely.
 *
 * @param model sequence classifier with a {@code benign} or {@code jailbreak} label (e.g. a head
 *     over {@code builtin:bge-small-en-v1.5})
 * @param escalateThreshold first-stage risk from which a turn goes to the second stage
 */
public record JailbreakSecondStage(ModelPath model, double escalateThreshold) {}

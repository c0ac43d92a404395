package io.semroute.tools.routing;

/**
 * One prompt of outcome data: per model (in the data set's model order) whether it answered
 * correctly ({@code score} in [0, 1]) and what the answer cost in USD.
 */
public record OutcomeRow(String id, String task, String prompt, double[] score, double[] cost) {}

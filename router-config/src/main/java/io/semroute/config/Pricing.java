package io.semroute.config;

/** Price per one million tokens, for cost metrics. */
public record Pricing(double promptPer1M, double completionPer1M, String currency) {}

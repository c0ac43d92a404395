package io.semroute.extproc.limits;

/**
 * A model's circuit breaker as {@code /info/models} shows it.
 *
 * @param consecutiveFailures failures in the current run (within the window)
 * @param openedAtMillis when it last opened (epoch ms), or 0 when it never did
 * @param probeAtMillis when an open breaker lets its probe through (epoch ms), or 0 when not open
 */
public record BreakerSnapshot(
    String model,
    BreakerState state,
    int consecutiveFailures,
    long openedAtMillis,
    long probeAtMillis) {}

package io.semroute.extproc.api;

import java.util.List;

/**
 * {@code POST /api/v1/classify/security}: the jailbreak guard's verdict.
 *
 * @param confidence how sure the guard is of its verdict: the risk when blocked, else 1 - risk
 * @param detectionTypes {@code ["jailbreak"]} when blocked, else empty
 */
record SecurityResponse(
    boolean isJailbreak,
    double riskScore,
    double confidence,
    double threshold,
    List<String> detectionTypes,
    double processingTimeMs)
    implements ClassifyResult {}

package io.semroute.extproc.api;

import java.util.List;

/** {@code POST /api/v1/classify/batch}: one result per text, in order. */
record BatchResponse(
    List<ClassifyResult> results, String taskType, int totalCount, double processingTimeMs) {}

package io.semroute.extproc.classifiers;

/**
 * A PII entity as the guards see it: type, UTF-16 offsets into the scanned text, score, and whether
 * the token model (rather than an exact recognizer) found it. No value.
 */
public record DetectedEntity(String type, int start, int end, double score, boolean fromModel) {}

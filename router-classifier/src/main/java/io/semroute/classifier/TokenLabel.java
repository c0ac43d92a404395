package io.semroute.classifier;

/**
 * One token's predicted label.
 *
 * @param start character offset of the token in the text (UTF-16, inclusive)
 * @param end character offset after the token (exclusive)
 */
public record TokenLabel(String token, String label, float score, int start, int end) {}

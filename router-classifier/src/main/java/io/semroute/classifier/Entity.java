package io.semroute.classifier;

/**
 * A span found by a token classifier: consecutive tokens of one type (BIO tags merged).
 *
 * @param type the label without its B-/I- prefix, e.g. {@code EMAIL_ADDRESS}
 * @param start character offset in the text (UTF-16, inclusive)
 * @param end character offset after the span (exclusive)
 * @param text {@code text.substring(start, end)}
 * @param score mean probability of the span's token labels
 */
public record Entity(String type, int start, int end, String text, float score) {}

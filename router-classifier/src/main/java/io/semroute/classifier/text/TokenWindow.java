package io.semroute.classifier.text;

/**
 * One model-sized piece of a long tokenized text, for token classification, which must label every
 * token rather than a head + tail sample.
 *
 * @param text the window as model input (special tokens re-added around its slice)
 * @param firstFullIndex index in the full tokenization of the window's first content token
 * @param ownedFrom first full-tokenization index whose label this window provides
 * @param ownedTo end (exclusive) of the indices this window provides; owned ranges of consecutive
 *     windows meet in the middle of their overlap, so every token is labelled by the window in
 *     which it has the most context on both sides
 */
public record TokenWindow(TokenizedText text, int firstFullIndex, int ownedFrom, int ownedTo) {}

package io.semroute.tools.data;

/** A labelled character range [start, end) in some text. */
public record CharSpan(int start, int end, String label) {}

package io.semroute.tools.data;

/** A labelled text plus the data set it came from, so reports can break figures down by source. */
public record SourcedText(String text, String label, String src) {}

package io.semroute.tools.data;

/** One sequence-classification example. */
public record LabeledText(String text, String label) {}

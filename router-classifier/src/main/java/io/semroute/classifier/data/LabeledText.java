package io.semroute.classifier.data;

/** One sequence-classification example. */
public record LabeledText(String text, String label) {}

package io.semroute.config;

import java.nio.file.Path;

/**
 * Classifier settings. Model paths are null when not configured (the keyword rules, and later the
 * built-in models, are used instead).
 *
 * @param device {@code auto | cpu | gpu:N}
 * @param categoryThreshold below this confidence the default model is used
 * @param categoryModel directory of a Hugging Face style sequence classifier, or null
 * @param maxTokens per-model truncation limit, or 0 for the model's own limit
 */
public record ClassifierSettings(
    String device, double categoryThreshold, Path categoryModel, int maxTokens) {
  public static final ClassifierSettings DEFAULTS = new ClassifierSettings("auto", 0.6, null, 0);
}

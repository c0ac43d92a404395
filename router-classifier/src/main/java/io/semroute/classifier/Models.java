package io.semroute.classifier;

import io.semroute.classifier.model.ModelFormatException;
import io.semroute.classifier.pii.PiiDetector;
import io.semroute.classifier.train.HeadModels;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One way to open a configured model folder, whatever its layout: a head-only folder written by
 * {@code train} (a few hundred KB over the built-in encoder, see {@link HeadModels}) or a Hugging
 * Face checkpoint such as a fine-tuned ModernBERT ({@link ModelDirectory}). So one config path can
 * point at either, and swapping the shipped domain head for a ModernBERT classifier is a one-line
 * change.
 */
public final class Models {
  private Models() {}

  /** A sequence classifier (domain, jailbreak...) from either layout. */
  public static SequenceClassifier openSequence(Path dir, LoadOptions options) {
    requireFolder(dir);
    return HeadModels.isHeadModel(dir)
        ? HeadModels.openSequence(dir, options)
        : SequenceClassifier.open(dir, options);
  }

  /** A token classifier from either layout. */
  public static TokenClassifier openToken(Path dir, LoadOptions options) {
    requireFolder(dir);
    return HeadModels.isHeadModel(dir)
        ? HeadModels.openToken(dir, options)
        : TokenClassifier.open(dir, options);
  }

  /** The PII detector (model merged with the recognizers); {@code dir == null}: recognizers only. */
  public static PiiDetector openPii(Path dir, LoadOptions options) {
    if (dir == null) {
      return PiiDetector.patternsOnly();
    }
    requireFolder(dir);
    return PiiDetector.open(dir, options);
  }

  private static void requireFolder(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ModelFormatException("model directory " + dir + " does not exist or is not a directory");
    }
  }
}

package io.semroute.classifier.model;

/**
 * A model directory (or built-in model) that cannot be used as given. The message always names
 * the offending file, and the key or tensor inside it when there is one, so a user pointing the
 * config at the wrong folder sees what to fix.
 */
public final class ModelFormatException extends RuntimeException {
  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}

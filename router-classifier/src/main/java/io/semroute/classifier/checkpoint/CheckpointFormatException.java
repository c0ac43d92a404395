package io.semroute.classifier.checkpoint;

/**
 * A classifier checkpoint folder (or the built-in encoder) that cannot be used as given. The
 * message always names the offending file, and the key or tensor inside it when there is one, so a
 * user pointing the config at the wrong folder sees what to fix.
 */
public final class CheckpointFormatException extends RuntimeException {
  public CheckpointFormatException(String message) {
    super(message);
  }

  public CheckpointFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.semroute.extproc.classifiers;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Identity of a loaded classifier: what it is opened as, from where, and how. Two configs that
 * agree on all of it share it, so a reload that leaves a classifier's path and options alone does
 * not load it again.
 *
 * @param kind how the folder is opened
 * @param dir the model folder, or null for the built-in ones (encoder, PII recognizers alone)
 * @param device {@code classifier.device}
 * @param maxTokens {@code classifier.max_tokens} (0 = the model's own)
 */
public record ClassifierKey(Kind kind, Path dir, String device, int maxTokens) {

  /** How a folder is opened. */
  public enum Kind {
    /** A sequence classifier: domain, jailbreak. */
    SEQUENCE,
    /** The PII detector (a token model merged with the recognizers). */
    PII,
    /** The built-in sentence embedder (for {@code examples:}). */
    EMBEDDER,
    /** An outcomes folder: predicted success per model ({@code signals.outcomes}). */
    OUTCOMES
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + (dir == null ? " (built-in)" : " " + dir);
  }
}

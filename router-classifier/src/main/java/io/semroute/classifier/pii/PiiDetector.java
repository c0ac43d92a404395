package io.semroute.classifier.pii;

import io.semroute.classifier.TokenClassification;
import io.semroute.classifier.TokenClassifier;
import java.util.List;

/**
 * The full PII detector: a token-classification model (PERSON, addresses, organisations...) plus
 * the deterministic recognizers, merged into one non-overlapping entity list by {@link
 * EntityMerger}'s policy. Without a model it is the recognizers alone.
 */
public final class PiiDetector implements AutoCloseable {
  /** Model entities below this mean label probability are dropped. */
  public static final double DEFAULT_MIN_MODEL_SCORE = 0.5;

  private final TokenClassifier model;
  private final PatternPiiDetector patterns;
  private final ModelEntityDecoder decoder;

  public PiiDetector(TokenClassifier model, PatternPiiDetector patterns) {
    this.model = model;
    this.patterns = patterns;
    // Structured types come from the recognizers only (see ModelEntityDecoder).
    this.decoder = new ModelEntityDecoder(patterns.types(), DEFAULT_MIN_MODEL_SCORE);
  }

  public static PiiDetector patternsOnly() {
    return new PiiDetector(null, PatternPiiDetector.defaults());
  }

  /** The token model, or null for recognizers only. */
  public TokenClassifier model() {
    return model;
  }

  /**
   * As {@link #detect(String)}, with the token model's labels for {@code text} already computed
   * (e.g. by a shared encoder pass over exactly the tokens {@code model().classify(text)} reads).
   */
  public List<PiiEntity> detect(String text, TokenClassification labels) {
    return patterns.detect(text, decoder.decode(text, labels.tokens()));
  }

  public List<PiiEntity> detect(String text) {
    if (model == null) {
      return patterns.detect(text);
    }
    return patterns.detect(text, decoder.decode(text, model.classify(text).tokens()));
  }

  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
  }
}

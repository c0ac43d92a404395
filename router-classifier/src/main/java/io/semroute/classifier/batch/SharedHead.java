package io.semroute.classifier.batch;

import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TextEmbedder;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.TokenClassification;
import io.semroute.classifier.TokenClassifier;
import io.semroute.classifier.encoder.EncodedBatch;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One task read off a shared encoder pass (a domain classifier, a PII tagger, an embedding...).
 * Also the typed key for its result in {@link HeadOutputs}.
 *
 * @param encoder the encoder whose hidden states this head reads; {@link BatchedEncoder} checks all
 *     its heads name the same one, since a head on another backbone's states is meaningless
 */
public record SharedHead<R>(
    String name, TextEncoder encoder, Function<EncodedBatch, List<R>> apply) {

  public SharedHead {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(apply, "apply");
  }

  public static SharedHead<SequenceClassification> sequence(String name, SequenceClassifier c) {
    return new SharedHead<>(name, c.encoder(), c::classify);
  }

  public static SharedHead<TokenClassification> tokens(String name, TokenClassifier c) {
    return new SharedHead<>(name, c.encoder(), c::classify);
  }

  public static SharedHead<float[]> embedding(String name, TextEmbedder e) {
    return new SharedHead<>(name, e.encoder(), batch -> Arrays.asList(e.embed(batch)));
  }

  @Override
  public boolean equals(Object other) {
    return this == other; // a key: identity, so two heads with one name cannot be confused
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "SharedHead[" + name + "]";
  }
}

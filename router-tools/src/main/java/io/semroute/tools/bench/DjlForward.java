package io.semroute.tools.bench;

import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TextEmbedder;
import io.semroute.classifier.encoder.EncodedBatch;
import io.semroute.classifier.text.TokenizedText;
import java.util.Arrays;
import java.util.List;

/** The engine's own batch paths, exactly as the router calls them. */
final class DjlForward {

  private DjlForward() {}

  /** Encoder pass + mean pooling + L2 norm (the built-in MiniLM embedder). */
  static BatchForward embedder(String name, TextEmbedder embedder) {
    return new BatchForward() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<float[]> forward(List<TokenizedText> texts) {
        try (EncodedBatch batch = embedder.encoder().encodeTokenized(texts)) {
          return Arrays.asList(embedder.embed(batch));
        }
      }
    };
  }

  /** Encoder pass + classification head + softmax. */
  static BatchForward classifier(String name, SequenceClassifier classifier) {
    return new BatchForward() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<?> forward(List<TokenizedText> texts) {
        return classifier.classifyTokenized(texts);
      }
    };
  }
}

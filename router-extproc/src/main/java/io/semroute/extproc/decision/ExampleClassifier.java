package io.semroute.extproc.decision;

import io.semroute.config.Category;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Routing by {@code examples:}: a category's score for a text is the cosine similarity between the
 * text and the category's nearest example utterance (built-in MiniLM sentence embeddings), counted
 * only when it reaches {@code classifier.examples_threshold}, else 0. Nearest example rather than a
 * prototype (mean vector): a category's examples are often several distinct ways of asking ("reset
 * my password", "I am locked out"), and their mean resembles none of them.
 *
 * <p>The examples are embedded when the engine is built (config load or reload), never per request;
 * a request costs one embedding and a few hundred dot products.
 */
public final class ExampleClassifier implements Classifier {
  /** Unit-length sentence embeddings (the built-in encoder behind its batcher). */
  public interface Embedder {
    /** One request text, embedded off the caller's thread. */
    CompletableFuture<float[]> submit(String text);

    /** The configured examples, in order (embedded once at config load, then remembered). */
    List<float[]> exampleVectors(List<String> texts);
  }

  private record Example(String category, float[] vector) {}

  private final Embedder embedder;
  private final double threshold;
  private final List<String> categories = new ArrayList<>();
  private final List<Example> examples = new ArrayList<>();

  public ExampleClassifier(List<Category> configured, Embedder embedder, double threshold) {
    this.embedder = embedder;
    this.threshold = threshold;
    for (Category c : configured) {
      if (c.examples().isEmpty()) {
        continue;
      }
      categories.add(c.name());
      List<float[]> vectors = embedder.exampleVectors(c.examples());
      for (float[] v : vectors) {
        examples.add(new Example(c.name(), v));
      }
    }
  }

  @Override
  public Classification classify(String text) {
    return classifyAll(List.of(text)).get(0);
  }

  @Override
  public List<Classification> classifyAll(List<String> texts) {
    List<float[]> vectors =
        Futures.joinAll(texts.stream().map(embedder::submit).toList(), "example embedding");
    return vectors.stream().map(this::score).toList();
  }

  private Classification score(float[] text) {
    Map<String, Double> scores = new LinkedHashMap<>();
    for (String c : categories) {
      scores.put(c, 0.0);
    }
    for (Example e : examples) {
      double sim = dot(text, e.vector());
      if (sim >= threshold && sim > scores.get(e.category())) {
        scores.put(e.category(), Math.min(1.0, sim));
      }
    }
    return Classification.fromScores(scores);
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s; // both unit length: the cosine similarity
  }
}

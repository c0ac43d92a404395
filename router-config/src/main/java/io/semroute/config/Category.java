package io.semroute.config;

import java.util.Comparator;
import java.util.List;

/**
 * A routing category: what it means, which models suit it (best first after validation), and the
 * signals that pick it.
 *
 * @param systemPrompt optional; null when the category does not touch the system prompt
 * @param keywords keyword rules (may be empty)
 * @param examples example utterances for embedding-similarity routing (may be empty)
 */
public record Category(
    String name,
    String description,
    List<ModelScore> modelScores,
    SystemPrompt systemPrompt,
    List<KeywordRule> keywords,
    List<String> examples) {
  public Category {
    modelScores = List.copyOf(modelScores);
    keywords = List.copyOf(keywords);
    examples = List.copyOf(examples);
  }

  /** The highest-scoring model entry; validation guarantees at least one. */
  public ModelScore bestModel() {
    return modelScores.stream().max(Comparator.comparingDouble(ModelScore::score)).orElseThrow();
  }
}

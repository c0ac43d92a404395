package io.semroute.extproc.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.config.Category;
import io.semroute.config.ModelScore;
import io.semroute.extproc.classifiers.LoadedEmbedder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nearest-example similarity with the real built-in encoder. */
class ExampleClassifierTest {
  static LoadedEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder =
        new LoadedEmbedder(
            "examples-test",
            ClassifierRegistry.builtinEmbedder(LoadOptions.DEFAULT),
            BatchPolicy.defaults());
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  static Category category(String name, String... examples) {
    return new Category(
        name,
        "",
        List.of(new ModelScore("m", 1.0, false, null)),
        null,
        List.of(),
        List.of(examples));
  }

  @Test
  void nearestExampleAboveTheThresholdGivesItsSimilarity() {
    List<Category> cats =
        List.of(
            category("account", "How do I reset my password?", "I am locked out of my account"),
            category("travel", "Book me a flight to Paris"),
            category("no-examples"));
    ExampleClassifier c = new ExampleClassifier(cats, embedder, 0.6);

    Classification same = c.classify("How do I reset my password?");
    assertThat(same.category()).isEqualTo("account");
    assertThat(same.confidence()).isGreaterThan(0.99);
    assertThat(same.scores()).containsOnlyKeys("account", "travel");
    assertThat(same.scores().get("travel")).isZero(); // far below the threshold: no signal

    Classification paraphrase = c.classify("I forgot my password and cannot log in");
    assertThat(paraphrase.category()).isEqualTo("account");
    assertThat(paraphrase.confidence()).isBetween(0.6, 0.99);

    Classification unrelated = c.classify("What is the boiling point of water at sea level?");
    assertThat(unrelated.hasCategory()).isFalse();
  }

  @Test
  void aHigherThresholdDropsLooseMatches() {
    List<Category> cats = List.of(category("account", "How do I reset my password?"));
    double loose =
        new ExampleClassifier(cats, embedder, 0.0)
            .classify("I forgot my password and cannot log in")
            .confidence();
    ExampleClassifier strict = new ExampleClassifier(cats, embedder, Math.min(1.0, loose + 0.05));
    assertThat(strict.classify("I forgot my password and cannot log in").hasCategory()).isFalse();
    // Examples are embedded once and remembered: a rebuilt classifier computes nothing new.
    assertThat(embedder.exampleVectors(List.of("How do I reset my password?")).get(0))
        .isSameAs(embedder.exampleVectors(List.of("How do I reset my password?")).get(0));
  }
}

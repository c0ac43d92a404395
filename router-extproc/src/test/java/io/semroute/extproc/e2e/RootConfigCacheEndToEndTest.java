package io.semroute.extproc.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.config.ConfigLoader;
import io.semroute.config.RouterConfig;
import io.semroute.config.SemanticCacheSettings;
import io.semroute.extproc.cache.CacheStore;
import io.semroute.extproc.cache.CacheStores;
import io.semroute.extproc.classifiers.ClassifierCache;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.classifiers.LoadedEmbedder;
import io.semroute.extproc.classifiers.RequiredClassifiers;
import io.semroute.extproc.emulator.ClientRequest;
import io.semroute.extproc.emulator.EnvoyConfig;
import io.semroute.extproc.emulator.Exchange;
import io.semroute.extproc.server.SnapshotBuilder;
import io.semroute.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cache with the root {@code config.yaml} (its classifiers, guards and decisions), client →
 * {@code EnvoyEmulator} → router over gRPC → mock vLLMs: the docs' example hits; questions that
 * differ in one word that changes the answer are never answered from the cache, as shipped (exact
 * tier) and with the semantic tier turned on as the docs describe. One tenant per pair, as a new
 * user would try it: the first question is answered and stored, then the second is asked.
 */
class RootConfigCacheEndToEndTest {
  /** The kinds of near miss a user found served from the cache with similarity alone. */
  static final List<List<String>> NEAR_MISSES =
      List.of(
          List.of(
              "Which city is closer to London, Paris or Berlin?",
              "Which city is farther from London, Paris or Berlin?"),
          List.of(
              "Is a blue whale bigger than an elephant?",
              "Is a blue whale smaller than an elephant?"),
          List.of(
              "Give me a one-week meal plan for a vegetarian diet.",
              "Give me a one-week meal plan for a vegan diet."),
          List.of(
              "What is the recommended daily calorie intake for men?",
              "What is the recommended daily calorie intake for women?"),
          List.of(
              "What is the maximum daily dose of ibuprofen for an adult?",
              "What is the maximum daily dose of ibuprofen for a child?"));

  static final String EXAMPLE = "How do I export my calendar to a CSV file?";
  static final String EXAMPLE_REWORDED = "How can I export my calendar to a CSV file?";

  static ClassifierCache models;
  CacheStores stores;
  RouterStack stack;

  @BeforeAll
  static void openModels() {
    models = new ClassifierCache(new ClassifierOpener(BatchPolicy.defaults()));
  }

  @AfterAll
  static void closeModels() {
    models.close();
  }

  @AfterEach
  void stop() {
    if (stack != null) {
      stack.close();
    }
    if (stores != null) {
      stores.close();
    }
  }

  static RouterConfig root() {
    return ConfigLoader.load(Fixtures.repo().resolve("config.yaml"));
  }

  void start(RouterConfig cfg) throws Exception {
    stores = new CacheStores();
    stack = new RouterStack(cfg, EnvoyConfig.load(), new SnapshotBuilder(models, stores, null));
  }

  Exchange ask(String text, String tenant) throws Exception {
    return stack.envoy.send(
        ClientRequest.postJson(
                "/v1/chat/completions", SemanticCacheEndToEndContract.question(text, false))
            .withHeader("x-user-id", tenant));
  }

  long served() {
    return stack.qwen.served() + stack.llama.served();
  }

  void nearMissesAreForwarded() throws Exception {
    int tenant = 0;
    for (List<String> pair : NEAR_MISSES) {
      String t = "user-" + tenant++;
      long before = served();
      SemanticCacheEndToEndContract.assertForwarded(ask(pair.get(0), t));
      Exchange second = ask(pair.get(1), t);
      assertThat(second.localReply()).as("%s answered from the cache", pair.get(1)).isFalse();
      SemanticCacheEndToEndContract.assertForwarded(second);
      assertThat(served()).as("both reached a model").isEqualTo(before + 2);
    }
  }

  @Test
  void asShippedTheExampleRepeatHitsExactlyAndNoNearMissIsServed() throws Exception {
    RouterConfig cfg = root();
    assertThat(cfg.semanticCache().enabled()).isTrue();
    assertThat(cfg.semanticCache().semanticTier()).as("semantic tier opt-in").isFalse();
    start(cfg);
    Exchange first = ask(EXAMPLE, "alice");
    SemanticCacheEndToEndContract.assertForwarded(first);
    Exchange again = ask(EXAMPLE, "alice");
    SemanticCacheEndToEndContract.assertHit(again);
    assertThat(again.header("x-vsr-cache-tier")).isEqualTo("exact");
    assertThat(again.header("x-vsr-cache-similarity")).isNull();
    assertThat(SemanticCacheEndToEndContract.content(again))
        .isEqualTo(SemanticCacheEndToEndContract.content(first));
    SemanticCacheEndToEndContract.assertForwarded(ask(EXAMPLE_REWORDED, "alice"));
    nearMissesAreForwarded();
  }

  @Test
  void withTheSemanticTierOnTheRewordingHitsAndNoNearMissIsServed() throws Exception {
    RouterConfig shipped = root();
    SemanticCacheSettings s = shipped.semanticCache();
    // Each near miss is one the embedding alone would serve: what turns it away is the check.
    LoadedEmbedder embedder =
        (LoadedEmbedder) models.get(RequiredClassifiers.embedder(shipped).orElseThrow());
    for (List<String> pair : NEAR_MISSES) {
      assertThat(
              CacheStore.dot(
                  embedder.submitWhole(pair.get(0)).get(), embedder.submitWhole(pair.get(1)).get()))
          .as("similarity of %s", pair)
          .isGreaterThanOrEqualTo(s.similarityThreshold());
    }
    start(
        shipped.withSemanticCache(
            new SemanticCacheSettings(
                s.enabled(),
                s.backend(),
                s.redis(),
                s.tenantHeader(),
                s.shared(),
                s.similarityThreshold(),
                s.ttlSeconds(),
                s.maxEntries(),
                s.cacheSampled(),
                true)));
    Exchange first = ask(EXAMPLE, "alice");
    SemanticCacheEndToEndContract.assertForwarded(first);
    Exchange reworded = ask(EXAMPLE_REWORDED, "alice");
    SemanticCacheEndToEndContract.assertHit(reworded);
    assertThat(reworded.header("x-vsr-cache-tier")).isEqualTo("semantic");
    assertThat(Double.parseDouble(reworded.header("x-vsr-cache-similarity")))
        .isGreaterThanOrEqualTo(s.similarityThreshold());
    assertThat(reworded.header("x-vsr-cache-check")).isEqualTo("same words");
    assertThat(SemanticCacheEndToEndContract.content(reworded))
        .isEqualTo(SemanticCacheEndToEndContract.content(first));
    nearMissesAreForwarded();
  }
}

package io.semroute.classifier.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.semroute.classifier.Golden;
import io.semroute.classifier.LoadOptions;
import io.semroute.classifier.SequenceClassification;
import io.semroute.classifier.SequenceClassifier;
import io.semroute.classifier.TextEmbedder;
import io.semroute.classifier.TextEncoder;
import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.testkit.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The micro-batcher on the real DJL engine: golden numbers must survive batching and padding. */
class BatchedEncoderTest {

  private static final BatchPolicy POLICY =
      BatchPolicy.defaults().withDefaultDeadline(Duration.ofSeconds(60));

  @Test
  void severalHeadsReadOneEncoderPassAndMatchTheGoldenLogits() throws Exception {
    Path dir = Fixtures.golden("modernbert/seq-cls-mean");
    JsonNode expected = Golden.expected(dir);
    try (SequenceClassifier loaded = ClassifierRegistry.openSequence(dir, LoadOptions.DEFAULT)) {
      TextEncoder original = loaded.encoder();
      CountingEncoder counting = new CountingEncoder(original.encoder());
      TextEncoder shared = new TextEncoder(counting, original.tokenizer(), original.device());
      SharedHead<SequenceClassification> domain =
          SharedHead.sequence(
              "domain", new SequenceClassifier(shared, loaded.head(), loaded.labels(), false));
      SharedHead<float[]> embedding =
          SharedHead.embedding("embedding", new TextEmbedder(shared, false));
      // A third head that holds the worker inside its first call, so the golden texts queue up
      // behind it and must come out of one batch.
      CountDownLatch inFirstCall = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      SharedHead<Integer> gate =
          new SharedHead<>(
              "gate",
              shared,
              pass -> {
                inFirstCall.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                return Collections.nCopies(pass.size(), pass.sequenceLength());
              });
      try (BatchedEncoder batched =
          BatchedEncoder.start("golden", POLICY, domain, embedding, gate)) {
        CompletableFuture<HeadOutputs> first = batched.submit("t5 t6 t7");
        inFirstCall.await();
        List<CompletableFuture<HeadOutputs>> golden = new ArrayList<>();
        for (JsonNode text : expected.get("texts")) {
          golden.add(batched.submit(text.asText()));
        }
        release.countDown();

        assertThat(first.get(60, TimeUnit.SECONDS).get(gate)).isEqualTo(5);
        for (int i = 0; i < golden.size(); i++) {
          HeadOutputs out = golden.get(i).get(60, TimeUnit.SECONDS);
          assertThat(Golden.maxDiff(out.get(domain).logits(), expected.get("logits").get(i)))
              .as("logits of golden text %d, batched with padding", i)
              .isLessThan(1e-4);
          float[] alone =
              new TextEmbedder(original, false).embed(expected.get("texts").get(i).asText());
          assertThat(Golden.maxDiff(out.get(embedding), alone)).isLessThan(1e-4);
          // The three golden texts (20, 13, 5 tokens) are within the padding slack: one call.
          assertThat(out.get(gate)).isEqualTo(20);
        }
        assertThat(batched.batcher().stats().calls()).isEqualTo(2);
        assertThat(counting.passes.get())
            .as("encoder passes for 2 calls with 3 heads")
            .isEqualTo(2);
      }
    }
  }

  @Test
  void concurrentCallersGetTheGoldenMiniLmEmbeddings() throws Exception {
    JsonNode expected = Golden.expected(Fixtures.golden("minilm"));
    JsonNode texts = expected.get("texts");
    try (TextEmbedder embedder = ClassifierRegistry.builtinEmbedder(LoadOptions.DEFAULT)) {
      SharedHead<float[]> embedding = SharedHead.embedding("embedding", embedder);
      try (BatchedEncoder batched = BatchedEncoder.start("minilm", POLICY, embedding)) {
        int threads = 16;
        int rounds = 6;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          done.add(
              callers.submit(
                  () -> {
                    for (int r = 0; r < rounds; r++) {
                      int i = (thread + r) % texts.size();
                      float[] v = batched.submit(texts.get(i).asText()).join().get(embedding);
                      double diff = Golden.maxDiff(v, expected.get("embeddings").get(i));
                      if (diff >= 1e-4) {
                        wrong.add("text " + i + " differs by " + diff);
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get(120, TimeUnit.SECONDS);
        }
        callers.shutdown();

        assertThat(wrong).isEmpty();
        BatcherStats stats = batched.batcher().stats();
        assertThat(stats.completed()).isEqualTo(threads * rounds);
        assertThat(stats.largestCall()).as("batches formed under 16 callers").isGreaterThan(1);
      }
    }
  }

  @Test
  void headsOnAnotherEncoderAreRefused() {
    try (TextEmbedder a = ClassifierRegistry.builtinEmbedder(LoadOptions.DEFAULT)) {
      TextEncoder other =
          new TextEncoder(a.encoder().encoder(), a.encoder().tokenizer(), a.encoder().device());
      SharedHead<float[]> one = SharedHead.embedding("one", a);
      SharedHead<float[]> two = SharedHead.embedding("two", new TextEmbedder(other, false));

      assertThatThrownBy(() -> BatchedEncoder.start("mixed", POLICY, one, two))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("head 'two'")
          .hasMessageContaining("different encoder");
    }
  }
}
